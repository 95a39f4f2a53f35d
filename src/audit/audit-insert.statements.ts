import type { EntityManager, EntityMetadata } from 'typeorm';

/**
 * The row counts an INSERT of audit events is made of. A batch is written as
 * statements of these sizes only (greedily: 237 rows are 2 x 100, 1 x 20,
 * 3 x 5 and 2 x 1), so there are four statement texts in all: SQLite
 * prepares each once and reuses it from the driver's statement cache, where a
 * statement per batch length churned that cache and rebuilt the SQL through
 * a QueryBuilder on every flush.
 */
export const INSERT_SIZES = [100, 20, 5, 1] as const;

/** The statements writing `rows` events, largest first. */
export function insertSizes(rows: number): number[] {
  const sizes: number[] = [];
  let left = rows;
  for (const size of INSERT_SIZES) {
    for (; left >= size; left -= size) sizes.push(size);
  }
  return sizes;
}

/** Multi-row INSERT statements for one entity, their text built once per row count from its metadata. */
export class InsertStatements<T extends object> {
  /** Per row count: the text, and for each placeholder in binding order the index of its value in the rows' flat values. */
  private readonly statements = new Map<number, { sql: string; positions: number[] }>();

  constructor(private readonly metadata: EntityMetadata) {}

  /**
   * Writes `entities` with one statement per size of insertSizes; values go
   * through the driver's own conversion (preparePersistentValue: dates,
   * booleans), as TypeORM's insert does. Several statements: call it inside a transaction.
   */
  async write(manager: EntityManager, entities: readonly T[]): Promise<void> {
    const driver = manager.connection.driver;
    const columns = this.metadata.columns;
    let offset = 0;
    for (const size of insertSizes(entities.length)) {
      const flat = entities
        .slice(offset, offset + size)
        .flatMap((entity) => columns.map((column) => driver.preparePersistentValue(column.getEntityValue(entity), column)));
      offset += size;
      const { sql, positions } = this.statement(manager, size);
      await manager.query(
        sql,
        positions.map((position) => flat[position]),
      );
    }
  }

  private statement(manager: EntityManager, size: number): { sql: string; positions: number[] } {
    let statement = this.statements.get(size);
    if (!statement) {
      const driver = manager.connection.driver;
      const columns = this.metadata.columns;
      const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
      const tuples = Array.from(
        { length: size },
        (_, row) => `(${columns.map((_c, col) => `:p${row * columns.length + col}`).join(', ')})`,
      );
      // Each parameter given its own name as value (a string: SQLite inlines numbers), so what comes back is the binding order.
      const named = Object.fromEntries(Array.from({ length: size * columns.length }, (_, position) => [`p${position}`, `p${position}`]));
      const [sql, order] = driver.escapeQueryWithParameters(
        `INSERT INTO ${driver.escape(this.metadata.tableName)} (${names}) VALUES ${tuples.join(', ')}`,
        named,
      );
      statement = { sql, positions: (order as string[]).map((name) => Number(name.slice(1))) };
      this.statements.set(size, statement);
    }
    return statement;
  }
}

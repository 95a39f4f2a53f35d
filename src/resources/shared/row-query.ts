import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { SqliteDirectRead } from './sqlite-direct-read.js';

/** A SELECT of one entity's columns, written once, and the conversion of its raw rows back into entities. */
export interface RowQuery<T extends ObjectLiteral> {
  /** In the driver's own placeholder syntax (`?` on SQLite, `$1` on PostgreSQL). */
  readonly sql: string;
  /** The statement's parameters, in the order the driver binds them. */
  parameters(values: Readonly<Record<string, unknown>>): unknown[];
  hydrate(row: Record<string, unknown>): T;
  /** The first matching entity, or null: straight from SQLite when that is safe (sqlite-direct-read.ts), else through `manager`. */
  first(manager: EntityManager, values: Readonly<Record<string, unknown>>): Promise<T | null>;
}

/**
 * For the hottest reads: the statement text is built once from the entity's
 * metadata, and each raw row goes through the same per-column conversion
 * TypeORM applies itself (driver.prepareHydratedValue: SQLite's 0/1 booleans
 * and UTC datetime text, PostgreSQL's timestamptz), so the entity is what
 * findOneBy would have returned. `where` uses column names and :named
 * parameters, never values: they are always bound.
 */
export function rowQuery<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>, where: string): RowQuery<T> {
  const metadata = dataSource.getMetadata(target);
  const driver = dataSource.driver;
  const columns = metadata.columns;
  const select = columns.map((column) => driver.escape(column.databaseName)).join(', ');
  const names = [...where.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const placeholders = Object.fromEntries(names.map((name) => [name, name]));
  // Each parameter given its own name as value: what comes back is the binding order.
  const [sql, order] = driver.escapeQueryWithParameters(
    `SELECT ${select} FROM ${driver.escape(metadata.tableName)} WHERE ${where}`,
    placeholders,
  );
  const direct = new SqliteDirectRead(dataSource, sql);
  const parameters = (values: Readonly<Record<string, unknown>>): unknown[] => (order as string[]).map((name) => values[name]);
  const hydrate = rowHydrator(dataSource, target);
  return {
    sql,
    parameters,
    hydrate,
    async first(manager, values) {
      const bound = parameters(values);
      const directRow = direct.firstRow(manager, bound);
      if (directRow !== undefined) return directRow === null ? null : hydrate(directRow);
      const rows: unknown = await manager.query(sql, bound);
      const row = Array.isArray(rows) ? (rows[0] as Record<string, unknown> | undefined) : undefined;
      return row ? hydrate(row) : null;
    },
  };
}

/** A raw row of `target`'s table made into the entity, with TypeORM's own per-column conversions (see rowQuery). */
export function rowHydrator<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>): (row: Record<string, unknown>) => T {
  const metadata = dataSource.getMetadata(target);
  const driver = dataSource.driver;
  return (row) => {
    const entity = metadata.create() as T;
    for (const column of metadata.columns) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
    return entity;
  };
}

import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { MemberEntity } from '../../resources/members/member.entity.js';
import { chunksOf } from '../../common/chunks.js';

/**
 * The little raw SQL the sync writers need, for both supported databases.
 * The writers send set-based statements (one per chunk of rows, not one per
 * record); TypeORM's query builder cannot express a multi-row upsert whose
 * DO UPDATE only fires on a change, so they are written out here, parameterized.
 */
export type SqlDialect = 'sqlite' | 'postgres';

/** A column of a row set sent to the database, with its PostgreSQL type (jsonb_to_recordset needs one). */
export interface SqlColumn {
  readonly name: string;
  readonly pgType: 'varchar' | 'boolean';
}

export function dialectOf(manager: EntityManager): SqlDialect {
  return manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Rows per statement. better-sqlite3 runs each statement synchronously on the
 * event loop, so on SQLite a statement stays short (a few hundred rows, a few
 * milliseconds) and the writers yield between them; its 32,766 bound variables
 * are never approached. PostgreSQL gets the rows as one JSON parameter (no
 * parameter limit) and runs them off the loop, so a whole page goes at once.
 */
export function rowsPerStatement(dialect: SqlDialect, kind: 'wide' | 'narrow'): number {
  if (dialect === 'postgres') return 1000;
  return kind === 'wide' ? 250 : 500;
}

/** Parameters in the order the SQL text names them: `?` for SQLite, `$n` for PostgreSQL. */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(readonly dialect: SqlDialect) {}

  /**
   * The placeholder of one more parameter. `pgType` casts it on PostgreSQL, where a parameter in a
   * SELECT list (INSERT ... SELECT) takes no type from the column it lands in.
   */
  add(value: unknown, pgType?: 'varchar' | 'timestamptz'): string {
    this.values.push(value);
    if (this.dialect === 'sqlite') return '?';
    return pgType ? `$${this.values.length}::${pgType}` : `$${this.values.length}`;
  }

  /** `IN (...)` on SQLite; `= ANY($n)` on PostgreSQL, one array parameter whatever the length. */
  inList(column: string, values: readonly string[]): string {
    if (this.dialect === 'postgres') return `${column} = ANY(${this.add(values)}::varchar[])`;
    return `${column} IN (${values.map((value) => this.add(value)).join(', ')})`;
  }

  /**
   * A SELECT of `columns` from the connection's rows of `table` with these external IDs, through
   * the unique partial index on (source, external_id), whose predicate it repeats.
   * On PostgreSQL one probe of that index per ID (a LATERAL subquery with LIMIT 1 cannot be
   * flattened into a join): during a first full run the table grows faster than autovacuum
   * analyzes it, and with `external_id = ANY(...)` the planner, trusting stale statistics,
   * would match on `source` alone and filter every row of the connection, for every chunk.
   */
  bySourceAndExternalId(
    table: 'members' | 'groups',
    columns: string,
    connectionId: string,
    externalIds: readonly string[],
    filter = '',
  ): string {
    // SQLite binds `?` in the order they appear: the source, then the list.
    const source = `source = ${this.add(connectionId)} AND source <> 'api'`;
    if (this.dialect === 'sqlite')
      return `SELECT ${columns} FROM ${table} WHERE ${source} AND ${this.inList('external_id', externalIds)}${filter}`;
    return (
      `SELECT t.* FROM unnest(${this.add(externalIds)}::varchar[]) AS x(external_id) CROSS JOIN LATERAL ` +
      `(SELECT ${columns} FROM ${table} WHERE ${source} AND external_id = x.external_id${filter} LIMIT 1) AS t`
    );
  }

  /**
   * `WITH r(columns) AS (...)`: the rows as a table named r. SQLite gets a
   * VALUES list; PostgreSQL one jsonb parameter unpacked by jsonb_to_recordset.
   * An upsert reads them as `SELECT ... FROM r WHERE true ON CONFLICT ...`: without
   * the WHERE, SQLite would parse ON as the start of a join constraint (sqlite.org/lang_upsert.html).
   */
  rowsCte(columns: readonly SqlColumn[], rows: ReadonlyArray<readonly unknown[]>): string {
    const names = columns.map((column) => column.name).join(', ');
    if (this.dialect === 'postgres') {
      const objects = rows.map((row) => Object.fromEntries(columns.map((column, i) => [column.name, row[i]])));
      const types = columns.map((column) => `${column.name} ${column.pgType}`).join(', ');
      return `WITH r AS (SELECT ${names} FROM jsonb_to_recordset(${this.add(JSON.stringify(objects))}::jsonb) AS x(${types}))`;
    }
    const tuples = rows.map((row) => `(${row.map((value) => this.add(value)).join(', ')})`).join(', ');
    return `WITH r(${names}) AS (VALUES ${tuples})`;
  }
}

export interface SqlResult<T> {
  readonly rows: T[];
  readonly affected: number;
}

/** Runs one statement on the transaction's query runner, with its rows and affected count whatever the driver. */
export async function runSql<T>(manager: EntityManager, sql: string, params: SqlParams): Promise<SqlResult<T>> {
  // Always the page's transaction: a statement outside it would escape the lease's fencing.
  const runner = manager.queryRunner;
  if (!runner) throw new Error('The sync writers send their statements inside the page transaction only.');
  const result = await runner.query(sql, params.values, true);
  return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
}

/** An instant as the driver stores it in a timestamp column (SQLite: TypeORM's UTC datetime text). */
export function storedInstant(manager: EntityManager, at: Date): unknown {
  const column = manager.connection.getMetadata(MemberEntity).findColumnWithPropertyName('updatedAt')!;
  return manager.connection.driver.preparePersistentValue(at, column);
}

/** Lets the event loop serve requests between two synchronous SQLite statements; nothing to do on PostgreSQL. */
export async function yieldBetweenStatements(dialect: SqlDialect): Promise<void> {
  if (dialect === 'sqlite') await nextMacrotask();
}

/** A statement and its parameters. */
export interface Statement {
  readonly sql: string;
  readonly params: SqlParams;
}

/** Statements over many rows, a chunk of rows at a time, yielding the event loop between statements on SQLite. */
export class ChunkedSql {
  readonly dialect: SqlDialect;
  private statements = 0;

  constructor(private readonly manager: EntityManager) {
    this.dialect = dialectOf(manager);
  }

  /** Every row the statements built for each chunk of `items` return. */
  async readAll<R, T>(items: readonly T[], kind: 'wide' | 'narrow', build: (chunk: T[]) => Statement): Promise<R[]> {
    const found: R[] = [];
    for (const chunk of chunksOf(items, rowsPerStatement(this.dialect, kind))) found.push(...(await this.run<R>(build(chunk))));
    return found;
  }

  async writeAll<T>(items: readonly T[], kind: 'wide' | 'narrow', build: (chunk: T[]) => Statement): Promise<void> {
    for (const chunk of chunksOf(items, rowsPerStatement(this.dialect, kind))) await this.run(build(chunk));
  }

  async run<R>(statement: Statement): Promise<R[]> {
    if (this.statements++ > 0) await yieldBetweenStatements(this.dialect);
    return (await runSql<R>(this.manager, statement.sql, statement.params)).rows;
  }
}

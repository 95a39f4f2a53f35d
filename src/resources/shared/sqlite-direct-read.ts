import type { DataSource, EntityManager } from 'typeorm';

/** The part of better-sqlite3's Database used here. */
interface SqliteConnection {
  /** True while any transaction is open on the connection (better-sqlite3's `Database#inTransaction`). */
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
}

interface SqliteStatement {
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
}

/**
 * One read statement run straight on better-sqlite3's connection, prepared
 * once: the hottest reads skip TypeORM's per-query machinery (query runner,
 * broadcaster, the connection lock and its async context), which cost several
 * times the statement itself (profile of GET /members/:id).
 *
 * Only when that is exactly as safe as the lock: better-sqlite3 runs a
 * statement synchronously, so nothing can interleave with it; the one thing the
 * lock guards a lone read against is running inside someone else's open
 * transaction on the shared connection (database/sqlite-transactions.ts). So
 * the direct read is taken only on the root manager with no transaction open;
 * otherwise (PostgreSQL, a transaction's manager, a transaction in progress)
 * the caller goes through TypeORM as before.
 */
export class SqliteDirectRead {
  private connection: SqliteConnection | undefined;
  private statement: SqliteStatement | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: string,
  ) {}

  /** The first row, null when there is none, or undefined when the read must go through TypeORM. */
  firstRow(manager: EntityManager, parameters: readonly unknown[]): Record<string, unknown> | null | undefined {
    const statement = this.statementNow(manager);
    if (statement === undefined) return undefined;
    const row = statement.get(...bindable(parameters));
    return row === undefined ? null : (row as Record<string, unknown>);
  }

  /** Every row, or undefined when the read must go through TypeORM. */
  allRows(manager: EntityManager, parameters: readonly unknown[]): Record<string, unknown>[] | undefined {
    return this.statementNow(manager)?.all(...bindable(parameters)) as Record<string, unknown>[] | undefined;
  }

  private statementNow(manager: EntityManager): SqliteStatement | undefined {
    if (this.dataSource.options.type !== 'better-sqlite3' || manager !== this.dataSource.manager || manager.queryRunner) return undefined;
    const connection = (this.dataSource.driver as unknown as { databaseConnection?: SqliteConnection }).databaseConnection;
    if (!connection || connection.inTransaction) return undefined;
    // A DataSource destroyed and initialized again has a new connection: prepare on that one.
    if (this.connection !== connection) {
      this.statement = connection.prepare(this.sql);
      this.connection = connection;
    }
    return this.statement;
  }
}

/** better-sqlite3 binds no booleans: 0/1, as TypeORM's query runner converts them. */
function bindable(parameters: readonly unknown[]): unknown[] {
  return parameters.map((value) => (typeof value === 'boolean' ? Number(value) : value));
}

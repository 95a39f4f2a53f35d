import { createRequire } from 'node:module';
import type { DataSource, EntityManager } from 'typeorm';
import { SqliteDirectRead } from './sqlite-direct-read.js';

/** The little of better-sqlite3 this test uses (the package ships no types). */
interface Db {
  exec(sql: string): void;
  prepare(sql: string): { get(...parameters: unknown[]): unknown };
  readonly inTransaction: boolean;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => Db;

function sqliteDataSource(connection: Db | undefined, type = 'better-sqlite3'): { dataSource: DataSource; manager: EntityManager } {
  const manager = { queryRunner: undefined } as unknown as EntityManager;
  const dataSource = { options: { type }, manager, driver: { databaseConnection: connection } } as unknown as DataSource;
  return { dataSource, manager };
}

function memoryDatabase(): Db {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, flag INTEGER); INSERT INTO t VALUES ('a', 1)");
  return db;
}

describe('SqliteDirectRead', () => {
  const sql = 'SELECT id, flag FROM t WHERE id = ?';

  it('reads the first row straight from the connection when no transaction is open', () => {
    const { dataSource, manager } = sqliteDataSource(memoryDatabase());
    const read = new SqliteDirectRead(dataSource, sql);
    expect(read.firstRow(manager, ['a'])).toEqual({ id: 'a', flag: 1 });
    expect(read.firstRow(manager, ['missing'])).toBeNull();
  });

  it('binds booleans as 0/1, as TypeORM does', () => {
    const { dataSource, manager } = sqliteDataSource(memoryDatabase());
    const read = new SqliteDirectRead(dataSource, 'SELECT id FROM t WHERE flag = ?');
    expect(read.firstRow(manager, [true])).toEqual({ id: 'a' });
  });

  it('defers to TypeORM while a transaction is open, so a read never sees uncommitted rows', () => {
    const db = memoryDatabase();
    const { dataSource, manager } = sqliteDataSource(db);
    const read = new SqliteDirectRead(dataSource, sql);
    db.exec('BEGIN');
    expect(read.firstRow(manager, ['a'])).toBeUndefined();
    db.exec('COMMIT');
    expect(read.firstRow(manager, ['a'])).toEqual({ id: 'a', flag: 1 });
  });

  it("defers to TypeORM on a transaction's manager, on another manager and on PostgreSQL", () => {
    const { dataSource } = sqliteDataSource(memoryDatabase());
    const read = new SqliteDirectRead(dataSource, sql);
    expect(read.firstRow({ queryRunner: {} } as unknown as EntityManager, ['a'])).toBeUndefined();
    const postgres = sqliteDataSource(undefined, 'postgres');
    expect(new SqliteDirectRead(postgres.dataSource, sql).firstRow(postgres.manager, ['a'])).toBeUndefined();
  });

  it('prepares again on the new connection of a DataSource initialized again', () => {
    const first = memoryDatabase();
    const { dataSource, manager } = sqliteDataSource(first);
    const read = new SqliteDirectRead(dataSource, sql);
    expect(read.firstRow(manager, ['a'])).not.toBeNull();
    first.close();
    const second = memoryDatabase();
    second.exec("INSERT INTO t VALUES ('b', 0)");
    (dataSource.driver as unknown as { databaseConnection: Db }).databaseConnection = second;
    expect(read.firstRow(manager, ['b'])).toEqual({ id: 'b', flag: 0 });
  });
});

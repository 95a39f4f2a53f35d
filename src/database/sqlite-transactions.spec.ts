import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { InitialSchema1763780000000 } from './migrations/1763780000000-InitialSchema.js';
import { SettingEntity } from './setting.entity.js';
import { serializeSqliteTransactions } from './sqlite-transactions.js';

/** The little of better-sqlite3 this test uses (the package ships no types). */
interface OtherProcessDatabase {
  prepare(sql: string): { run(...parameters: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
  options: { timeout: number },
) => OtherProcessDatabase;

const setting = (name: string, value = 'v') => Object.assign(new SettingEntity(), { name, value });

/** A transaction that stays open until the test lets it go, after writing `name`. */
function openTransaction(dataSource: DataSource, name: string, outcome: 'commit' | 'rollback') {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = dataSource.transaction(async (manager) => {
    await manager.insert(SettingEntity, setting(name));
    wrote();
    await finished;
    if (outcome === 'rollback') throw new Error('rolled back');
  });
  return { written, finish, done: done.catch(() => undefined) };
}

describe('serializeSqliteTransactions', () => {
  let dataSource: DataSource;
  beforeEach(async () => {
    // The schema comes from the real first migration (which creates settings), never from synchronize.
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [SettingEntity],
      migrations: [InitialSchema1763780000000],
      migrationsRun: true,
    });
    serializeSqliteTransactions(dataSource);
    await dataSource.initialize();
  });
  afterEach(() => dataSource.destroy());

  const names = async () => (await dataSource.getRepository(SettingEntity).find({ order: { name: 'ASC' } })).map((row) => row.name);

  it('runs transactions started at the same moment one after the other, all committed', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        dataSource.transaction(async (manager) => {
          await manager.insert(SettingEntity, setting(`t${index}`));
          await manager.findOneBy(SettingEntity, { name: `t${index}` });
        }),
      ),
    );

    expect(await names()).toHaveLength(10);
  });

  it('keeps a write made outside an open transaction out of it, so its rollback does not undo the write', async () => {
    const open = openTransaction(dataSource, 'in-transaction', 'rollback');
    await open.written;

    const outside = dataSource.getRepository(SettingEntity).insert(setting('outside'));
    const outsideSave = dataSource.getRepository(SettingEntity).save(setting('outside-save'));
    open.finish();
    await Promise.all([open.done, outside, outsideSave]);

    expect(await names()).toEqual(['outside', 'outside-save']);
  });

  it('does not let a read outside an open transaction see its uncommitted rows', async () => {
    const open = openTransaction(dataSource, 'uncommitted', 'rollback');
    await open.written;

    const read = names();
    open.finish();

    expect(await read).toEqual([]);
    await open.done;
  });

  it('turns a root transaction() inside a transaction callback into a savepoint instead of waiting for itself', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.insert(SettingEntity, setting('outer'));
      await dataSource
        .transaction(async (inner) => {
          await inner.insert(SettingEntity, setting('inner'));
          throw new Error('inner rolled back');
        })
        .catch(() => undefined);
      await dataSource.getRepository(SettingEntity).save(setting('root-save'));
    });

    expect(await names()).toEqual(['outer', 'root-save']);
  });

  it('refuses a transaction begun on a query runner directly, which nothing could isolate', async () => {
    const runner = dataSource.createQueryRunner();

    await expect(runner.startTransaction()).rejects.toThrow(/DataSource.transaction/);
  });

  it('leaves a PostgreSQL DataSource untouched', () => {
    const postgres = new DataSource({ type: 'postgres', url: 'postgres://127.0.0.1:1/none', entities: [SettingEntity] });
    const transaction = postgres.manager.transaction;
    const createQueryRunner = postgres.driver.createQueryRunner;

    serializeSqliteTransactions(postgres);

    expect(postgres.manager.transaction).toBe(transaction);
    expect(postgres.driver.createQueryRunner).toBe(createQueryRunner);
  });
});

describe('serializeSqliteTransactions with another process writing to the file', () => {
  let dir: string;
  let dataSource: DataSource;
  /** Stands for the CLI or a server beside this one: a connection of its own, which does not wait for the lock. */
  let other: OtherProcessDatabase;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orgsync-immediate-'));
    const database = join(dir, 'orgsync.sqlite');
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database,
      entities: [SettingEntity],
      migrations: [InitialSchema1763780000000],
      migrationsRun: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
      },
    });
    serializeSqliteTransactions(dataSource);
    await dataSource.initialize();
    other = new Database(database, { timeout: 0 });
  });
  afterEach(async () => {
    other.close();
    await dataSource.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const otherWrites = (name: string) => other.prepare('INSERT INTO settings (name, value) VALUES (?, ?)').run(name, 'v');

  // A deferred transaction would read first, let the other commit, then fail its own write with
  // SQLITE_BUSY_SNAPSHOT (its snapshot is stale); BEGIN IMMEDIATE holds the write lock from the start.
  it('holds the write lock from BEGIN, so a write from elsewhere cannot land between its read and its write', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.findOneBy(SettingEntity, { name: 'counter' });
      expect(() => otherWrites('elsewhere')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }) as Error);
      await manager.insert(SettingEntity, setting('counter'));
    });
    otherWrites('elsewhere');
    expect((await dataSource.getRepository(SettingEntity).find({ order: { name: 'ASC' } })).map((row) => row.name)).toEqual([
      'counter',
      'elsewhere',
    ]);
  });
});

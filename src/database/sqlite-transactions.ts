import { type DataSource, type QueryRunner, TypeORMError } from 'typeorm';
import { ConnectionLock } from './connection-lock.js';

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

/** Root-manager methods that may open a transaction: `transaction`, and the unit-of-work writes (EntityPersistExecutor). */
const MANAGER_UNITS = ['transaction', 'save', 'remove', 'softRemove', 'recover'] as const;
/** DataSource methods that run transactions on the shared query runner themselves. */
const DATA_SOURCE_UNITS = ['runMigrations', 'undoLastMigration', 'synchronize', 'dropDatabase'] as const;

/**
 * Gives every transaction on a SQLite DataSource the connection to itself.
 *
 * TypeORM's SQLite drivers have one connection and hand out one shared query
 * runner (BetterSqlite3Driver.createQueryRunner), whose transaction state
 * (isTransactionActive, transactionDepth) belongs to whoever called it last.
 * Two EntityManager.transaction calls at once both see depth 0 and both send
 * BEGIN ("cannot start a transaction within a transaction"); the loser's
 * rollback then ends the winner's transaction. And any statement sent while a
 * transaction is open (a plain find, insert or save elsewhere) runs inside it:
 * it reads uncommitted rows, and its writes are undone if that transaction rolls back.
 *
 * So, on SQLite only, one unit holds the connection at a time (ConnectionLock):
 * a transaction, a root-manager save/remove, a migration run, or a single
 * statement sent outside them. better-sqlite3 runs each statement synchronously,
 * so units could only interleave at their awaits, which is where they now queue.
 * Code inside a unit (awaited by it) re-enters freely, so a root-manager
 * `transaction()` inside a transaction callback becomes a SAVEPOINT instead of a
 * deadlock. Starting a transaction any other way (a query runner's own
 * startTransaction outside a unit) is refused, since nothing could isolate it.
 * PostgreSQL gives each transaction a pooled connection of its own and is left alone.
 */
export function serializeSqliteTransactions(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const lock = new ConnectionLock();
  holdLockAround(dataSource.manager, MANAGER_UNITS, lock);
  holdLockAround(dataSource, DATA_SOURCE_UNITS, lock);
  const driver = dataSource.driver;
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  const guarded = new WeakSet<QueryRunner>();
  driver.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    if (!guarded.has(runner)) {
      guardSharedQueryRunner(runner, lock);
      guarded.add(runner);
    }
    return runner;
  };
}

function guardSharedQueryRunner(runner: QueryRunner, lock: ConnectionLock): void {
  beginImmediately(runner);
  holdLockAround(runner, ['query'], lock);
  const startTransaction = runner.startTransaction.bind(runner);
  runner.startTransaction = (isolationLevel) => {
    if (!lock.heldHere)
      return Promise.reject(
        new TypeORMError(
          'On SQLite, start transactions with DataSource.transaction() or EntityManager.transaction(): ' +
            'the connection is shared, so a transaction begun on a query runner directly could not be isolated.',
        ),
      );
    return startTransaction(isolationLevel);
  };
}

/** What TypeORM's SQLite query runner sends to open a transaction (AbstractSqliteQueryRunner.startTransaction). */
const DEFERRED_BEGIN = 'BEGIN TRANSACTION';
const IMMEDIATE_BEGIN = 'BEGIN IMMEDIATE TRANSACTION';

/**
 * Opens every transaction with the write lock taken (BEGIN IMMEDIATE,
 * https://www.sqlite.org/lang_transaction.html) instead of at its first write.
 *
 * Another process writes to the same file: the CLI, beside a running server,
 * and the server beside a CLI command. A deferred transaction reads from the
 * snapshot of its first read; if the other process commits after that read,
 * the transaction's first write fails at once with SQLITE_BUSY_SNAPSHOT
 * (https://www.sqlite.org/rescode.html#busy_snapshot), which no busy timeout
 * can wait out, since the snapshot itself is stale. Every transaction here
 * writes (unit-of-work saves read first, then write), so taking the lock at
 * BEGIN costs no concurrency: BEGIN waits out busy_timeout like any write, and
 * the transaction's reads and writes then see one state.
 */
function beginImmediately(runner: QueryRunner): void {
  const query = runner.query.bind(runner) as (sql: string, ...rest: unknown[]) => Promise<unknown>;
  (runner as unknown as { query: typeof query }).query = (sql, ...rest) => query(sql === DEFERRED_BEGIN ? IMMEDIATE_BEGIN : sql, ...rest);
}

/** Replaces each named method of this one object (not its class) by one that runs under the lock. */
function holdLockAround(target: object, methods: readonly string[], lock: ConnectionLock): void {
  const record = target as Record<string, AsyncMethod>;
  for (const name of methods) {
    const original = record[name]!.bind(target);
    record[name] = (...args) => lock.run(() => original(...args));
  }
}

import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * The PostgreSQL advisory lock key for a name: the first 8 bytes of
 * SHA-256("orgsync:" + name) as a signed 64-bit integer (pg_advisory_xact_lock
 * takes a bigint), in decimal. Stable across processes and versions, so every
 * replica asks for the same lock; the prefix keeps our keys apart from other
 * software's small integer keys on a shared database.
 */
export function advisoryLockKey(name: string): string {
  const digest = createHash('sha256').update(`orgsync:${name}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Runs `work` while this process holds the PostgreSQL advisory lock `name`.
 *
 * The lock is transaction-scoped (pg_advisory_xact_lock), taken in a
 * transaction of its own on a connection of its own, and released by that
 * transaction's COMMIT or ROLLBACK: never a session lock, which behind a
 * transaction-pooling PgBouncer would stay with a server connection another
 * client gets next, and which a crashed holder could leave behind until the
 * connection died. If the process dies, PostgreSQL aborts the transaction and
 * the lock is free. `work` uses other pooled connections meanwhile (so the pool
 * needs two; DATABASE_POOL_SIZE is at least 2); the lock transaction itself
 * touches no table, so it holds nothing but the lock.
 */
export async function withAdvisoryXactLock<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(name)]);
    const result = await work();
    await runner.commitTransaction();
    return result;
  } catch (error) {
    // Never hand the connection back to the pool inside a transaction (or holding the lock).
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

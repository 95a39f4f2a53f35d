import { createRequire } from 'node:module';

/** The little of better-sqlite3's Database the checkpointer uses (the package ships no types). */
export interface CheckpointConnection {
  pragma(sql: string): unknown;
  close(): void;
}

/** What `PRAGMA wal_checkpoint` reports (https://www.sqlite.org/pragma.html#pragma_wal_checkpoint). */
export interface WalCheckpointResult {
  /** 1 when a RESTART/TRUNCATE could not finish because another connection was reading or writing. */
  readonly busy: number;
  /** Frames in the WAL file. */
  readonly log: number;
  /** Frames of it now copied into the database file. */
  readonly checkpointed: number;
}

const openDatabase = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
  options: { fileMustExist: boolean },
) => CheckpointConnection;

/**
 * A second connection to the server's SQLite file, used only to checkpoint.
 * It never writes, so its own autocheckpoint never fires either.
 */
export function openCheckpointConnection(path: string): CheckpointConnection {
  const db = new openDatabase(path, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  return db;
}

/**
 * Copies what the WAL holds into the database file, without ever waiting on
 * the server's connection: PASSIVE "does as much work as possible without
 * interfering with other database connections" and takes no writer lock.
 * The server's next write rewinds the WAL once it is all copied.
 *
 * Not RESTART or TRUNCATE, though they would bound the file: they hold the
 * writer lock while they copy and sync what was written since, and the
 * server's commits (busy_timeout) then wait on the event loop for that, the
 * very stall this thread exists to remove (measured: commits of 190-200 ms).
 */
export function checkpointWal(db: CheckpointConnection): WalCheckpointResult {
  const rows = db.pragma('wal_checkpoint(PASSIVE)') as WalCheckpointResult[];
  return rows[0]!;
}

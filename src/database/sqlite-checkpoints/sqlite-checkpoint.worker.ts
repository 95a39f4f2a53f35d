import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkpointWal, openCheckpointConnection } from './wal-checkpoint.js';

/** Marks the worker's data, so importing this file anywhere else runs nothing. */
export const CHECKPOINT_WORKER_ROLE = 'orgsync-sqlite-checkpointer';

export interface CheckpointWorkerData {
  readonly role: typeof CHECKPOINT_WORKER_ROLE;
  /** The SQLite file (its WAL is `${path}-wal`). */
  readonly path: string;
  /** How often to checkpoint; a PASSIVE checkpoint with nothing to copy costs next to nothing. */
  readonly intervalMs: number;
}

/** The message that asks the worker to close its connection and end. */
export const STOP_MESSAGE = 'stop';

/**
 * The checkpointer thread: its own better-sqlite3 connection to the server's
 * file, checkpointing on an interval, so the copy and the fsync that come with
 * a checkpoint stall this thread instead of the server's event loop. Any
 * error is left uncaught: it ends the worker, and the server falls back to
 * checkpointing itself (see SqliteCheckpointer).
 */
function runCheckpointWorker(data: CheckpointWorkerData): void {
  const db = openCheckpointConnection(data.path);
  const timer = setInterval(() => checkpointWal(db), data.intervalMs);
  parentPort!.on('message', (message: unknown) => {
    if (message !== STOP_MESSAGE) return;
    clearInterval(timer);
    db.close();
    parentPort!.close();
  });
}

function isCheckpointWorkerData(data: unknown): data is CheckpointWorkerData {
  return (data as Partial<CheckpointWorkerData> | null)?.role === CHECKPOINT_WORKER_ROLE;
}

if (!isMainThread && isCheckpointWorkerData(workerData)) runCheckpointWorker(workerData);

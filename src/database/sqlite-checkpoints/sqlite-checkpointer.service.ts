import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES } from '../data-source-options.js';
import { CHECKPOINT_WORKER_ROLE, type CheckpointWorkerData, STOP_MESSAGE } from './sqlite-checkpoint.worker.js';

/** The WAL size at which the checkpointer thread starts: the size SQLite's own default (1,000 pages) checkpoints at. */
export const CHECKPOINTER_START_BYTES = 4 * 1024 * 1024;
/** How often the WAL's size is looked at until then. */
export const WAL_WATCH_INTERVAL_MS = 1000;
/** How often the thread checkpoints once started. */
export const CHECKPOINT_INTERVAL_MS = 200;
/**
 * The server's own autocheckpoint while the thread runs (200 MB of WAL): a
 * safety net only. The WAL is rewound by the first write that finds it all
 * copied, which steady writes may never give it (checkpoint starvation,
 * https://www.sqlite.org/wal.html#avoiding_excessively_large_wal_files); this
 * bounds the file then, at the cost of one stall in a long while.
 */
export const SAFETY_NET_AUTOCHECKPOINT_PAGES = 50_000;
/** How long shutdown waits for the thread to close its connection before ending it outright. */
const STOP_TIMEOUT_MS = 2000;

/** Where the compiled worker lives, beside this file (dist/ or a test build). */
export const CHECKPOINT_WORKER_URL = new URL('./sqlite-checkpoint.worker.js', import.meta.url);

/**
 * Moves SQLite's WAL checkpoints off the event loop. better-sqlite3 is
 * synchronous, so a checkpoint run by a commit (copying the WAL into the
 * database file, then an fsync) stalls every request for 100-200 ms. Once the
 * WAL first passes 4 MB (an idle server never starts a thread), a worker
 * thread with its own connection checkpoints it, and the server's connection
 * stops checkpointing itself but for a safety net. If the thread fails, the
 * server logs it and goes back to its own autocheckpoint, so the WAL never
 * grows without bound. SQLite only; PostgreSQL has no WAL of ours to tend.
 */
@Injectable()
export class SqliteCheckpointer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Database');
  private watch?: NodeJS.Timeout;
  private worker?: Worker;
  private stopping = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    if (this.dataSource.options.type !== 'better-sqlite3') return;
    const walPath = `${String(this.dataSource.options.database)}-wal`;
    this.watch = setInterval(() => void this.startWhenWalExceeds(walPath), WAL_WATCH_INTERVAL_MS).unref();
  }

  /** Whether the checkpointer thread is running. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watch);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage(STOP_MESSAGE);
    const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS).unref();
    await exited;
    clearTimeout(timeout);
  }

  private async startWhenWalExceeds(walPath: string): Promise<void> {
    const size = await stat(walPath).then(
      (info) => info.size,
      () => 0,
    );
    if (size < CHECKPOINTER_START_BYTES || this.worker || this.stopping) return;
    clearInterval(this.watch);
    await this.start();
  }

  private async start(): Promise<void> {
    const workerData: CheckpointWorkerData = {
      role: CHECKPOINT_WORKER_ROLE,
      path: String(this.dataSource.options.database),
      intervalMs: CHECKPOINT_INTERVAL_MS,
    };
    const worker = this.createWorker(workerData);
    // The thread must never keep the process alive; shutdown stops it anyway.
    worker.unref();
    this.worker = worker;
    this.logger.log('The SQLite WAL passed 4 MB: checkpointing it on a worker thread from now on.');
    worker.once('error', (error) => void this.fallBack(`failed: ${error.message}`));
    worker.once('exit', (code) => {
      if (!this.stopping) void this.fallBack(`ended with code ${code}`);
    });
    await this.setAutocheckpoint(SAFETY_NET_AUTOCHECKPOINT_PAGES);
  }

  /** The thread itself; tests put a stand-in here. */
  protected createWorker(workerData: CheckpointWorkerData): Worker {
    return new Worker(CHECKPOINT_WORKER_URL, { workerData });
  }

  /** The server's connection checkpoints itself again, as before the thread started. */
  private async fallBack(reason: string): Promise<void> {
    if (this.stopping || !this.worker) return;
    this.worker = undefined;
    this.logger.warn(`The SQLite checkpointer thread ${reason}; the server checkpoints the WAL itself from now on.`);
    await this.setAutocheckpoint(SQLITE_WAL_AUTOCHECKPOINT_PAGES);
  }

  private async setAutocheckpoint(pages: number): Promise<void> {
    await this.dataSource.query(`PRAGMA wal_autocheckpoint = ${pages}`).catch((error: Error) => {
      this.logger.warn(`Setting the SQLite autocheckpoint failed: ${error.message}`);
    });
  }
}

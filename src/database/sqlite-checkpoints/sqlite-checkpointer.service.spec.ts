import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { waitFor } from '../../../test/support/wait-for.js';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES } from '../data-source-options.js';
import type { CheckpointWorkerData } from './sqlite-checkpoint.worker.js';
import {
  CHECKPOINTER_START_BYTES,
  SAFETY_NET_AUTOCHECKPOINT_PAGES,
  SqliteCheckpointer,
  WAL_WATCH_INTERVAL_MS,
} from './sqlite-checkpointer.service.js';

/** A stand-in for the thread: Jest runs the TypeScript sources, beside which there is no compiled worker to load. */
class FakeWorker extends EventEmitter {
  readonly messages: unknown[] = [];
  postMessage(message: unknown): void {
    this.messages.push(message);
    setImmediate(() => this.emit('exit', 0));
  }
  unref(): void {}
  terminate(): Promise<number> {
    return Promise.resolve(1);
  }
}

class TestCheckpointer extends SqliteCheckpointer {
  readonly started: CheckpointWorkerData[] = [];
  readonly fake = new FakeWorker();
  protected override createWorker(workerData: CheckpointWorkerData): Worker {
    this.started.push(workerData);
    return this.fake as unknown as Worker;
  }
}

describe('SqliteCheckpointer', () => {
  let dir: string;
  let path: string;
  let query: jest.Mock<(sql: string) => Promise<unknown>>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orgsync-checkpointer-'));
    path = join(dir, 'orgsync.sqlite');
    query = jest.fn((_sql: string) => Promise.resolve([]));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  function checkpointerOn(type: 'better-sqlite3' | 'postgres'): TestCheckpointer {
    const dataSource = { options: { type, database: path }, query } as unknown as DataSource;
    const checkpointer = new TestCheckpointer(dataSource);
    checkpointer.onApplicationBootstrap();
    return checkpointer;
  }

  const walOf = (bytes: number) => writeFile(`${path}-wal`, Buffer.alloc(bytes));
  const pastOneWatch = () => new Promise((resolve) => setTimeout(resolve, WAL_WATCH_INTERVAL_MS * 2));

  it('starts no thread while the WAL stays under 4 MB, so an idle server pays for none', async () => {
    await walOf(CHECKPOINTER_START_BYTES - 1);
    const checkpointer = checkpointerOn('better-sqlite3');

    await pastOneWatch();
    await checkpointer.onModuleDestroy();

    expect(checkpointer.started).toEqual([]);
    expect(query).not.toHaveBeenCalled();
  });

  it('starts the thread on the SQLite file once the WAL passes 4 MB, and the server stops checkpointing itself', async () => {
    await walOf(CHECKPOINTER_START_BYTES);
    const checkpointer = checkpointerOn('better-sqlite3');

    await waitFor('the thread', async () => checkpointer.running && query.mock.calls.length > 0);
    await checkpointer.onModuleDestroy();

    expect(checkpointer.started).toEqual([expect.objectContaining({ path })]);
    expect(query.mock.calls).toEqual([[`PRAGMA wal_autocheckpoint = ${SAFETY_NET_AUTOCHECKPOINT_PAGES}`]]);
  });

  it('asks the thread to stop at shutdown and waits until it has ended', async () => {
    await walOf(CHECKPOINTER_START_BYTES);
    const checkpointer = checkpointerOn('better-sqlite3');
    await waitFor('the thread', async () => checkpointer.running);
    let ended = false;
    checkpointer.fake.once('exit', () => (ended = true));

    await checkpointer.onModuleDestroy();

    expect(checkpointer.fake.messages).toEqual(['stop']);
    expect(ended).toBe(true);
  });

  it('goes back to the server checkpointing itself, and says so, when the thread fails', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await walOf(CHECKPOINTER_START_BYTES);
    const checkpointer = checkpointerOn('better-sqlite3');
    await waitFor('the thread', async () => checkpointer.running && query.mock.calls.length > 0);

    checkpointer.fake.emit('error', new Error('SQLITE_IOERR: disk I/O error'));
    await waitFor('the fallback', async () => query.mock.calls.length > 1);
    await checkpointer.onModuleDestroy();

    expect(checkpointer.running).toBe(false);
    expect(query.mock.calls.at(-1)).toEqual([`PRAGMA wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SQLITE_IOERR: disk I/O error'));
  });

  it('never starts a thread on PostgreSQL', async () => {
    await walOf(CHECKPOINTER_START_BYTES * 2);
    const checkpointer = checkpointerOn('postgres');

    await pastOneWatch();
    await checkpointer.onModuleDestroy();

    expect(checkpointer.started).toEqual([]);
    expect(query).not.toHaveBeenCalled();
  });
});

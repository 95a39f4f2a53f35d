import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CheckpointConnection, checkpointWal, openCheckpointConnection } from './wal-checkpoint.js';

interface WriterDatabase extends CheckpointConnection {
  exec(sql: string): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => WriterDatabase;

describe('checkpointWal', () => {
  let dir: string;
  let writer: WriterDatabase;
  let checkpointer: CheckpointConnection;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orgsync-checkpoint-'));
    const path = join(dir, 'orgsync.sqlite');
    writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    // As the server's connection does once the thread runs: nothing but the checkpointer copies the WAL here.
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE t (v TEXT)');
    checkpointer = openCheckpointConnection(path);
  });
  afterEach(async () => {
    checkpointer.close();
    writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  function writeRows(count: number): void {
    writer.exec(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) INSERT INTO t (v) SELECT randomblob(500) FROM n`,
    );
  }

  it('copies every frame another connection wrote into the database file', () => {
    writeRows(2000);

    const result = checkpointWal(checkpointer);

    expect(result.busy).toBe(0);
    expect(result.log).toBeGreaterThan(100);
    expect(result.checkpointed).toBe(result.log);
  });

  it('lets the writer rewind the WAL once all of it is copied, so the WAL stops growing', () => {
    writeRows(2000);
    const before = checkpointWal(checkpointer);

    writeRows(10);
    const after = checkpointWal(checkpointer);

    expect(after.log).toBeLessThan(before.log);
  });

  it('does not wait on a write transaction the other connection holds open', () => {
    writeRows(2000);
    writer.exec('BEGIN IMMEDIATE');
    try {
      writeRows(10);

      const result = checkpointWal(checkpointer);

      // The committed frames are copied; the open transaction's are not even visible yet.
      expect(result.busy).toBe(0);
      expect(result.checkpointed).toBe(result.log);
    } finally {
      writer.exec('COMMIT');
    }
  });
});

import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { compileOrgsync, killed, type OrgsyncChild, startOrgsyncChild } from '../../support/orgsync-process.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { waitFor } from '../../support/wait-for.js';

/** The little of better-sqlite3 this test uses (the package ships no types). */
interface WriterDatabase {
  pragma(sql: string): unknown;
  exec(sql: string): void;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => WriterDatabase;

/**
 * The WAL header's checkpoint sequence number (https://www.sqlite.org/fileformat.html#wal_file_format,
 * bytes 12-15): it goes up each time a writer rewinds the WAL, which a writer does only once every frame
 * has been copied into the database file. Read from the file, so looking does not checkpoint anything.
 */
async function walCheckpointSequence(walPath: string): Promise<number> {
  const file = await open(walPath);
  try {
    const header = Buffer.alloc(16);
    await file.read(header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    await file.close();
  }
}

/**
 * The compiled server (the worker thread's script exists only in a build), on
 * a SQLite file whose WAL another connection fills: that connection never
 * checkpoints (wal_autocheckpoint = 0), so only the server's thread can.
 */
describe('SQLite WAL checkpoints on a worker thread', () => {
  let build: Awaited<ReturnType<typeof compileOrgsync>>;
  let database: TestDatabase;
  let child: OrgsyncChild | undefined;
  let writer: WriterDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    build = await compileOrgsync();
  }, 180_000);
  afterAll(async () => {
    writer?.close();
    if (child) await killed(child.child);
    await database?.drop();
    await build?.remove();
  });

  function writeRows(count: number): void {
    writer!.exec(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) ` +
        'INSERT INTO checkpoint_probe (v) SELECT randomblob(1000) FROM n',
    );
  }

  it('starts once the WAL passes 4 MB, copies it into the database file, and stops with the server', async () => {
    child = await startOrgsyncChild(build.main, database, {});
    const path = database.url.slice('sqlite:'.length);
    writer = new Database(path);
    writer.pragma('busy_timeout = 5000');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE checkpoint_probe (v BLOB)');
    writeRows(6000);
    const before = await walCheckpointSequence(`${path}-wal`);

    await waitFor('the checkpointer thread to start', async () => child!.output().includes('checkpointing it on a worker thread'));
    // Each small write rewinds the WAL if, and only if, the thread has copied all of it by then.
    await waitFor('the WAL to be copied and rewound', async () => {
      writeRows(1);
      return (await walCheckpointSequence(`${path}-wal`)) > before;
    });
    child.child.kill('SIGTERM');

    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(child.output()).not.toMatch(/checkpointer thread (failed|ended)/);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

/** The little of better-sqlite3 this test uses (the package ships no types). */
interface PragmaDatabase {
  pragma(sql: string, options?: { simple: boolean }): unknown;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => PragmaDatabase;

describe('buildDataSourceOptions on SQLite', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orgsync-pragmas-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function preparedDatabase(): PragmaDatabase {
    const path = join(dir, 'orgsync.sqlite');
    const options = buildDataSourceOptions(AppConfig.fromEnvironment({ NODE_ENV: 'test', DATABASE_URL: `sqlite:${path}` }, dir));
    if (options.type !== 'better-sqlite3') throw new Error(`expected better-sqlite3, got ${options.type}`);
    const db = new Database(path);
    options.prepareDatabase!(db);
    return db;
  }

  it('runs in WAL mode, syncing at checkpoints only (NORMAL), with checkpoints every 10,000 WAL pages', () => {
    const db = preparedDatabase();
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // 1 is NORMAL (0 OFF, 2 FULL, 3 EXTRA).
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10000);
      expect(db.pragma('journal_size_limit', { simple: true })).toBe(64 * 1024 * 1024);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });
});

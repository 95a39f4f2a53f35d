import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * WAL pages after which a commit checkpoints on the server's own connection. A checkpoint (the WAL copied
 * into the database file, then an fsync) runs inside whichever commit crosses this many WAL pages and blocks
 * the event loop meanwhile, 100-200 ms on a VM disk, mostly the fsync. At the default 1,000 pages (4 MB) a
 * bulk write such as a sync page checkpoints at almost every commit; at 10,000 (the WAL file grows to about
 * 40 MB) ten times less often. The server moves checkpoints to a thread (SqliteCheckpointer) and keeps this
 * only as its fallback; the CLI and a server whose WAL stays small keep it as is.
 */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** The size the WAL file is cut back to when it is rewound (64 MiB): it may grow past it during a burst, not stay there. */
export const SQLITE_JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The one description of the database, shared by the Nest app, the CLI and
 * ormconfig.ts (the typeorm CLI). Schema changes happen through migrations only.
 */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    // TypeORM's error log prints each failed query with its parameters, which may hold secrets or hashes.
    // Failures reach the error filters instead, which log the message only.
    logging: false,
  };
  if (config.database.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.database.path,
      // WAL lets readers proceed while a write commits; foreign keys are off by default in SQLite.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        // In WAL mode, NORMAL syncs the WAL at checkpoints instead of at every commit: a crash of the process
        // loses nothing (the WAL is in the OS's hands once a commit returns) and the database never corrupts;
        // only a power loss or OS crash may lose the last transactions. That is the trade SQLite documents
        // for WAL (https://www.sqlite.org/pragma.html#pragma_synchronous); FULL (the default) costs an fsync
        // per commit, which caps every write path (a sync commits a page per transaction) at the disk's fsync rate.
        db.pragma('synchronous = NORMAL');
        db.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
        // After a long write burst (a full sync) the WAL file keeps its high-water size; once a checkpoint has
        // caught up and the next write rewinds it, SQLite truncates it to this (https://www.sqlite.org/pragma.html#pragma_journal_size_limit).
        db.pragma(`journal_size_limit = ${SQLITE_JOURNAL_SIZE_LIMIT_BYTES}`);
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: config.database.url,
    extra: { max: config.database.poolSize, connectionTimeoutMillis: 5000 },
  };
}

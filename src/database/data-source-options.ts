import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

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

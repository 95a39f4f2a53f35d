import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { ConfigurationError } from '../config/environment.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { migrateSchema } from './schema-migrator.js';
import { SecretsKeyFingerprint } from './secrets-key-fingerprint.js';
import { SqliteCheckpointer } from './sqlite-checkpoints/sqlite-checkpointer.service.js';
import { serializeSqliteTransactions } from './sqlite-transactions.js';
import { StartupLock } from './startup-lock.js';

export interface DatabaseModuleOptions {
  /** Connection attempts after the first failure; the server waits for a database that is still starting, the CLI does not. */
  readonly retryAttempts?: number;
  /** Whether SQLite's WAL checkpoints run on a worker thread (SqliteCheckpointer): for the long-lived server, not the CLI. */
  readonly checkpointInWorker?: boolean;
}

/**
 * Connects to the configured database, brings its schema up to date and checks
 * that this process holds the database's SECRETS_KEY, all before anything else
 * starts. Global, so any feature can take the StartupLock.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            if (config.database.kind === 'sqlite') mkdirSync(dirname(config.database.path), { recursive: true });
            return {
              ...buildDataSourceOptions(config),
              retryAttempts: options.retryAttempts ?? 9,
              retryDelay: 3000,
              // A newer schema (or any other configuration error) does not go away by waiting: fail at once.
              toRetry: (error: unknown) => !(error instanceof ConfigurationError),
            };
          },
          // Nest initializes the DataSource through this factory and retries it as a whole on failure,
          // so the migrations (which need the SQLite guard in place) run inside that retry too.
          dataSourceFactory: async (dataSourceOptions?: DataSourceOptions) => {
            const dataSource = new DataSource(dataSourceOptions!);
            serializeSqliteTransactions(dataSource);
            await dataSource.initialize();
            try {
              await migrateSchema(dataSource);
            } catch (error) {
              // A retry makes a new DataSource; this one's connections must not stay open behind it.
              await dataSource.destroy().catch(() => undefined);
              throw error;
            }
            return dataSource;
          },
        }),
      ],
      providers: [SecretsKeyFingerprint, StartupLock, ...(options.checkpointInWorker === false ? [] : [SqliteCheckpointer])],
      exports: [StartupLock],
    };
  }
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { SecretsKeyFingerprint } from './secrets-key-fingerprint.js';
import { serializeSqliteTransactions } from './sqlite-transactions.js';

export interface DatabaseModuleOptions {
  /** Connection attempts after the first failure; the server waits for a database that is still starting, the CLI does not. */
  readonly retryAttempts?: number;
}

/**
 * Connects to the configured database, brings its schema up to date and checks
 * that this process holds the database's SECRETS_KEY, all before anything else starts.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            if (config.database.kind === 'sqlite') mkdirSync(dirname(config.database.path), { recursive: true });
            return {
              ...buildDataSourceOptions(config),
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              retryAttempts: options.retryAttempts ?? 9,
              retryDelay: 3000,
            };
          },
          // Nest initializes (and on failure retries) the DataSource; the guard must be in place before the migrations run.
          dataSourceFactory: (dataSourceOptions?: DataSourceOptions) => {
            const dataSource = new DataSource(dataSourceOptions!);
            serializeSqliteTransactions(dataSource);
            return Promise.resolve(dataSource);
          },
        }),
      ],
      providers: [SecretsKeyFingerprint],
    };
  }
}

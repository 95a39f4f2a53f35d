import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

/** Connects to the configured database and brings its schema up to date at start-up. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (config.database.kind === 'sqlite') mkdirSync(dirname(config.database.path), { recursive: true });
        return { ...buildDataSourceOptions(config), migrationsRun: true, migrationsTransactionMode: 'each' as const };
      },
    }),
  ],
})
export class DatabaseModule {}

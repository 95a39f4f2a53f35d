import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config.js';
import { buildDataSourceOptions } from './src/database/data-source-options.js';

/**
 * The DataSource for the typeorm CLI, built from the same configuration as the
 * server (DATABASE_URL). Use the npm scripts: they build first, then point the
 * CLI at dist/ormconfig.js.
 */
export default new DataSource(buildDataSourceOptions(loadConfig()));

import type { ColumnType } from 'typeorm';
import { databaseKindOfProcess } from '../config/app-config.js';

/**
 * Entity column types that differ between the two supported databases.
 * Decorators are evaluated when entity classes are defined, before any
 * DataSource exists, so the kind is read from this process's configuration:
 * a process only ever talks to one kind of database.
 * PostgreSQL keeps instants as timestamptz; SQLite as UTC datetime text.
 */
export const TIMESTAMP_COLUMN: ColumnType = databaseKindOfProcess() === 'postgres' ? 'timestamptz' : 'datetime';

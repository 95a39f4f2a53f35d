import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { withAdvisoryXactLock } from './advisory-lock.js';
import { NewerSchemaError, planMigrations } from './migration-plan.js';

/** The advisory lock every process takes before it looks at (and maybe changes) the schema. */
const MIGRATION_LOCK = 'schema-migrations';

const logger = new Logger('Database');

/**
 * Brings the schema up to date, once, however many processes start at the same
 * moment, and refuses a schema newer than this build (NewerSchemaError,
 * before anything is changed).
 *
 * TypeORM's own migrationsRun reads the applied migrations and runs the rest
 * with no lock: two replicas starting together on PostgreSQL both find the
 * same migrations pending and the loser fails half-way (duplicate table, or a
 * unique violation on the migrations table). Here, on PostgreSQL, the whole
 * check-and-run happens under a transaction-scoped advisory lock
 * (withAdvisoryXactLock: pooler-safe, freed if the holder dies), and the applied
 * migrations are read only once the lock is held, so a replica that waited
 * finds the work done and just says so.
 *
 * The lock sits in a transaction of its own while the migrations run in theirs
 * (transaction mode 'each': each migration and its row commit together), rather
 * than everything in one transaction: 'each' is what lets a future migration opt
 * out of the transaction (`transaction = false`, for CREATE INDEX CONCURRENTLY
 * and the like), which TypeORM forbids in mode 'all'; and a failure in a later
 * migration keeps the earlier ones, which are additive and valid on their own.
 *
 * SQLite: one server process owns the file, so there is nothing to race; the
 * newer-schema check still applies.
 */
export async function migrateSchema(dataSource: DataSource): Promise<void> {
  const applied =
    dataSource.options.type === 'postgres'
      ? await withAdvisoryXactLock(dataSource, MIGRATION_LOCK, () => applyPendingMigrations(dataSource))
      : await applyPendingMigrations(dataSource);
  if (applied.length > 0) logger.log(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
  else logger.log(`Database schema is up to date (${knownMigrationNames(dataSource).length} migrations)`);
}

/** Runs what is pending and returns the names of the migrations it applied. */
async function applyPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const plan = planMigrations(await appliedMigrationNames(dataSource), knownMigrationNames(dataSource));
  if (plan.unknown.length > 0) throw new NewerSchemaError(plan.unknown);
  if (plan.pending.length === 0) return [];
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((migration) => migration.name);
}

/** This build's migrations (src/database/migrations/index.ts), named as TypeORM names them in its table. */
function knownMigrationNames(dataSource: DataSource): string[] {
  return dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
}

async function appliedMigrationNames(dataSource: DataSource): Promise<string[]> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable(table))) return [];
  } finally {
    await runner.release();
  }
  const rows = await dataSource
    .createQueryBuilder()
    .select('migration.name', 'name')
    .from(table, 'migration')
    .getRawMany<{ name: string }>();
  return rows.map((row) => row.name);
}

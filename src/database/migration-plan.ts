import { ConfigurationError } from '../config/environment.js';

/** What start-up has to do to the schema, from the names of the migrations applied and those this build ships. */
export interface MigrationPlan {
  /** Known to this build, not yet applied: in this build's order. */
  readonly pending: readonly string[];
  /** Applied, but unknown to this build: a newer orgsync migrated the database. */
  readonly unknown: readonly string[];
}

export function planMigrations(applied: readonly string[], known: readonly string[]): MigrationPlan {
  const appliedNames = new Set(applied);
  const knownNames = new Set(known);
  return {
    pending: known.filter((name) => !appliedNames.has(name)),
    unknown: applied.filter((name) => !knownNames.has(name)),
  };
}

/**
 * The database holds migrations this build does not know. Running would mean
 * reading and writing a schema this code was not written for, and migrating
 * it further could not be undone by the newer version, so start-up stops
 * instead. Nothing the process can retry fixes it (hence a ConfigurationError:
 * the deployment is wrong, not the database), so the server exits at once
 * rather than waiting out its connection retries.
 */
export class NewerSchemaError extends ConfigurationError {
  constructor(readonly unknownMigrations: readonly string[]) {
    super(
      `The database schema is newer than this orgsync: it has ${unknownMigrations.length === 1 ? 'a migration' : 'migrations'} ` +
        `this version does not know (${unknownMigrations.join(', ')}). Run the newer orgsync version that applied ` +
        `${unknownMigrations.length === 1 ? 'it' : 'them'}, or restore the database from a backup taken before the upgrade; ` +
        'nothing was changed.',
    );
  }
}

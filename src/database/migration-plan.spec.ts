import { ConfigurationError } from '../config/environment.js';
import { MIGRATIONS } from './migrations/index.js';
import { NewerSchemaError, planMigrations } from './migration-plan.js';

const KNOWN = ['Initial1000', 'Members2000', 'Sync3000'];

describe('planMigrations', () => {
  it('finds every migration pending on a new database, in this build’s order', () => {
    expect(planMigrations([], KNOWN)).toEqual({ pending: KNOWN, unknown: [] });
  });

  it('finds only the migrations not applied yet, whatever order the table lists them in', () => {
    expect(planMigrations(['Members2000', 'Initial1000'], KNOWN)).toEqual({ pending: ['Sync3000'], unknown: [] });
  });

  it('finds nothing to do when everything is applied', () => {
    expect(planMigrations([...KNOWN].reverse(), KNOWN)).toEqual({ pending: [], unknown: [] });
  });

  it('names the applied migrations this build does not know', () => {
    expect(planMigrations([...KNOWN, 'Future4000', 'Future5000'], KNOWN)).toEqual({
      pending: [],
      unknown: ['Future4000', 'Future5000'],
    });
  });

  it('reports unknown migrations even while some of its own are still pending', () => {
    expect(planMigrations(['Initial1000', 'Future4000'], KNOWN)).toEqual({
      pending: ['Members2000', 'Sync3000'],
      unknown: ['Future4000'],
    });
  });

  it('matches the names TypeORM records for this build’s migrations', () => {
    const names = MIGRATIONS.map((migration) => new migration().name ?? migration.name);
    expect(names).toEqual(MIGRATIONS.map((migration) => migration.name));
    expect(planMigrations(names, names)).toEqual({ pending: [], unknown: [] });
  });
});

describe('NewerSchemaError', () => {
  it('names the unknown migrations and what the operator can do', () => {
    const error = new NewerSchemaError(['Future4000', 'Future5000']);

    expect(error.message).toMatch(/^The database schema is newer than this orgsync: /);
    expect(error.message).toContain('(Future4000, Future5000)');
    expect(error.message).toContain('Run the newer orgsync version');
    expect(error.message).toContain('restore the database from a backup');
  });

  it('is a configuration error, which start-up does not retry', () => {
    expect(new NewerSchemaError(['Future4000'])).toBeInstanceOf(ConfigurationError);
  });
});

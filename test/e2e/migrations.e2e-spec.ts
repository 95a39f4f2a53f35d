import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = AppConfig.fromEnvironment(
      { DATABASE_URL: database.url, SECRETS_KEY: randomBytes(32).toString('hex') },
      database.dataDir,
    );
    dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('apply in order on an empty database', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it('leave a schema that matches the entities exactly (nothing for migration:generate to add)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('can all be reverted', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource
      .createQueryRunner()
      .getTables([
        'sync_runs',
        'sync_connections',
        'members',
        'groups',
        'group_members',
        'idempotency_records',
        'settings',
        'organizations',
        'clients',
        'client_secrets',
        'signing_keys',
      ]);
    expect(tables).toEqual([]);
  });
});

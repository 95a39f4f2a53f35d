import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { SettingEntity } from '../../src/database/setting.entity.js';
import { SigningKeyEntity } from '../../src/oauth/keys/signing-key.entity.js';
import { OrganizationEntity } from '../../src/organizations/organization.entity.js';
import { runOrgsync } from '../cli/cli-harness.js';
import { compileOrgsync, startOrgsyncChild } from '../support/orgsync-process.js';
import { LogCapture, startTestApp } from '../support/test-app.js';
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

/**
 * A database migrated by a newer orgsync (a rollback of the image, say) holds
 * migrations this build does not know. Start-up refuses it, server and CLI
 * alike, before changing anything: not even this build's own pending migration runs.
 */
describe('a database migrated by a newer orgsync', () => {
  const FUTURE_MIGRATION = 'FromTheFuture4102444800000';
  const secretsKey = randomBytes(32).toString('hex');
  const refusal = new RegExp(
    `^The database schema is newer than this orgsync: .*\\(${FUTURE_MIGRATION}\\).*newer orgsync version.*backup`,
    's',
  );
  let database: TestDatabase;
  let dataSource: DataSource;
  let build: Awaited<ReturnType<typeof compileOrgsync>> | undefined;

  /** What start-up could have changed: the migrations table, this build's last migration, anything written at start-up. */
  const snapshot = async () => {
    const runner = dataSource.createQueryRunner();
    try {
      return {
        migrations: ((await dataSource.query('SELECT name FROM migrations ORDER BY name')) as Array<{ name: string }>).map(
          (row) => row.name,
        ),
        // This build's last migration (ListFilterIndexes) adds it.
        listFilterIndexes: (await runner.getTable('members'))!.indices.some((index) => index.name === 'ix_members_organization_email'),
        settings: await dataSource.getRepository(SettingEntity).count(),
        organizations: await dataSource.getRepository(OrganizationEntity).count(),
        signingKeys: await dataSource.getRepository(SigningKeyEntity).count(),
      };
    } finally {
      await runner.release();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = AppConfig.fromEnvironment({ DATABASE_URL: database.url, SECRETS_KEY: secretsKey }, database.dataDir);
    // Everything but this build's last migration, which is still pending, and then a migration only a newer build knows.
    dataSource = new DataSource({ ...buildDataSourceOptions(config), migrations: MIGRATIONS.slice(0, -1) });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(`INSERT INTO migrations (timestamp, name) VALUES (4102444800000, '${FUTURE_MIGRATION}')`);
    build = await compileOrgsync();
  }, 180_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    await build?.remove();
  });

  it('stops the server at start-up with a message naming the unknown migration, without retrying, and changes nothing', async () => {
    const before = await snapshot();
    const logs = new LogCapture();

    await expect(startTestApp({ SECRETS_KEY: secretsKey }, database, { logs })).rejects.toThrow(refusal);

    // Not mistaken for a database that is still starting: no connection retries first.
    expect(logs.text()).not.toContain('Unable to connect to the database');
    expect(await snapshot()).toEqual(before);
    expect(before).toMatchObject({ listFilterIndexes: false, settings: 0, organizations: 0 });
  });

  it('makes the server process print the message and exit 1', async () => {
    const started = startOrgsyncChild(build!.main, database, { SECRETS_KEY: secretsKey });

    const failure = await started.then(
      () => new Error('orgsync started on a newer schema'),
      (error: Error) => error,
    );

    expect(failure.message).toContain('orgsync exited with code 1');
    expect(failure.message).toMatch(new RegExp(`The database schema is newer than this orgsync: .*${FUTURE_MIGRATION}`));
    expect(failure.message).not.toContain('Unable to connect to the database');
  });

  it('makes every CLI command exit 1 with the message on stderr, and changes nothing', async () => {
    const before = await snapshot();

    const result = await runOrgsync(['orgs', 'list'], { DATABASE_URL: database.url, SECRETS_KEY: secretsKey, NODE_ENV: 'test' });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(refusal);
    expect(result.stderr).not.toContain('Unable to connect to the database');
    expect(await snapshot()).toEqual(before);
  });
});

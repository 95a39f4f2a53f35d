import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ClientSecretEntity } from '../../../src/clients/client-secret.entity.js';
import { ClientEntity } from '../../../src/clients/client.entity.js';
import { MIGRATIONS } from '../../../src/database/migrations/index.js';
import { SigningKeyEntity } from '../../../src/oauth/keys/signing-key.entity.js';
import { OrganizationEntity } from '../../../src/organizations/organization.entity.js';
import { adminToken } from '../../support/factories.js';
import { ADMIN_CLIENT_ID, LogCapture, startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const REPLICAS = 4;

/**
 * PostgreSQL only: four replicas started at the same moment on one fresh
 * database, as an orchestrator starts a new deployment. The migrations, the
 * first signing key and the bootstrap admin client must each happen exactly
 * once (under the advisory locks of SchemaMigrator and StartupLock), every
 * replica must start, and every one must issue tokens the others accept.
 */
describe('replicas starting at the same moment on a fresh database', () => {
  // One SECRETS_KEY and one issuer, as the replicas of one deployment share them; the bootstrap admin comes from startTestApp.
  const env = { SECRETS_KEY: randomBytes(32).toString('hex'), ISSUER: 'https://orgsync.test' };
  let database: TestDatabase;
  const logs = Array.from({ length: REPLICAS }, () => new LogCapture());
  let replicas: TestApp[] = [];
  let started: PromiseSettledResult<TestApp>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    started = await Promise.allSettled(logs.map((capture) => startTestApp(env, database, { logs: capture })));
    replicas = started.filter((result) => result.status === 'fulfilled').map((result) => result.value);
  }, 120_000);
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await database?.drop();
  });

  it('starts every replica', () => {
    const failures = started.filter((result) => result.status === 'rejected').map((result) => String(result.reason));
    expect(failures).toEqual([]);
  });

  it('applies every migration exactly once, in one replica, while the others find the schema up to date', async () => {
    const dataSource = replicas[0]!.app.get(DataSource);
    const rows = (await dataSource.query('SELECT name FROM migrations ORDER BY id')) as Array<{ name: string }>;
    expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));

    // Nest's Logger is process-wide (the app created last owns it), so in this one process a replica's start-up
    // lines may land in another replica's capture: count them over all four, one line per replica.
    const databaseLines = logs.flatMap((capture) => capture.lines()).filter((line) => line.context === 'Database');
    const messages = databaseLines.map((line) => line.msg as string);
    expect(messages.filter((message) => message.startsWith(`Applied ${MIGRATIONS.length} migration(s): `))).toHaveLength(1);
    expect(messages.filter((message) => message === `Database schema is up to date (${MIGRATIONS.length} migrations)`)).toHaveLength(
      REPLICAS - 1,
    );
    expect(messages).toHaveLength(REPLICAS);
    // None got there by failing half-way and starting over (Nest retries a failed DataSource start after 3 s).
    const errors = logs.flatMap((capture) => capture.lines()).filter((line) => line.level === 'error');
    expect(errors).toEqual([]);
  });

  it('creates exactly one signing key, one platform organization and one bootstrap admin client with one live secret', async () => {
    const dataSource = replicas[0]!.app.get(DataSource);

    expect(await dataSource.getRepository(SigningKeyEntity).count()).toBe(1);
    expect(await dataSource.getRepository(OrganizationEntity).countBy({ isPlatform: true })).toBe(1);
    expect(await dataSource.getRepository(OrganizationEntity).count()).toBe(1);
    expect(await dataSource.getRepository(ClientEntity).countBy({ clientId: ADMIN_CLIENT_ID })).toBe(1);
    const secrets = await dataSource.getRepository(ClientSecretEntity).findBy({ clientId: ADMIN_CLIENT_ID });
    expect(secrets.filter((secret) => secret.revokedAt === null && secret.expiresAt === null)).toHaveLength(1);
    const lines = logs.flatMap((capture) => capture.lines());
    expect(lines.filter((line) => String(line.msg).startsWith('Created the bootstrap admin client'))).toHaveLength(1);
    expect(lines.filter((line) => String(line.msg).startsWith('Generated '))).toHaveLength(1);
  });

  it('lets every replica issue a token that every replica accepts', async () => {
    for (const [index, issuer] of replicas.entries()) {
      const token = await adminToken(issuer);
      const verifier = replicas[(index + 1) % replicas.length]!;
      for (const replica of [issuer, verifier]) {
        const response = await replica.http().get('/admin/organizations').auth(token, { type: 'bearer' });
        expect(response.status).toBe(200);
      }
    }
    expect(replicas).toHaveLength(REPLICAS);
  });
});

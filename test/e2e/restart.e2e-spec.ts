import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ConfigurationError } from '../../src/config/environment.js';
import { basicAuthorization, obtainToken } from '../support/factories.js';
import { ADMIN_CLIENT_ID, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** What must hold when a server starts again on the database of an earlier one. */
describe('restarting on an existing database', () => {
  const secretsKey = randomBytes(32).toString('hex');
  const firstSecret = `first-${randomBytes(24).toString('hex')}`;
  const secondSecret = `second-${randomBytes(24).toString('hex')}`;
  // A fixed issuer: tokens from the first run must stay valid on the second.
  const common = { SECRETS_KEY: secretsKey, ISSUER: 'https://orgsync.test' };
  let database: TestDatabase;
  let tokenFromFirstRun: string;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const first = await startTestApp({ ...common, BOOTSTRAP_ADMIN_CLIENT_SECRET: firstSecret }, database);
    tokenFromFirstRun = await obtainToken(first, ADMIN_CLIENT_ID, firstSecret);
    await first.close();
    second = await startTestApp({ ...common, BOOTSTRAP_ADMIN_CLIENT_SECRET: secondSecret, SIGNING_ALG: 'RS256' }, database);
  });
  afterAll(async () => {
    await second.close();
    await database.drop();
  });

  const tokenRequest = (secret: string) =>
    second
      .http()
      .post('/oauth/token')
      .set('authorization', basicAuthorization(ADMIN_CLIENT_ID, secret))
      .type('form')
      .send({ grant_type: 'client_credentials' });

  it('makes the bootstrap admin accept the newly configured secret only', async () => {
    expect((await tokenRequest(secondSecret)).status).toBe(200);
    expect((await tokenRequest(firstSecret)).status).toBe(401);
  });

  it('keeps one bootstrap admin client and one platform organization', async () => {
    const token = await obtainToken(second, ADMIN_CLIENT_ID, secondSecret);
    const organizations = await second.http().get('/admin/organizations').auth(token, { type: 'bearer' });
    expect((organizations.body as { data: Array<{ platform: boolean }> }).data.filter((o) => o.platform)).toHaveLength(1);
  });

  it('rotates to a key of the newly configured algorithm and keeps verifying tokens of the old one', async () => {
    const fresh = await obtainToken(second, ADMIN_CLIENT_ID, secondSecret);
    expect(jwt.decode(fresh, { complete: true })!.header.alg).toBe('RS256');
    expect(jwt.decode(tokenFromFirstRun, { complete: true })!.header.alg).toBe('ES256');
    const jwks = (await second.http().get('/oauth/jwks')).body as { keys: Array<{ alg: string }> };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect((await second.http().get('/admin/organizations').auth(tokenFromFirstRun, { type: 'bearer' })).status).toBe(200);
  });

  it('refuses to start with another SECRETS_KEY, saying why', async () => {
    const error: unknown = await startTestApp({ ...common, SECRETS_KEY: randomBytes(32).toString('hex') }, database).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('SECRETS_KEY is not the key this database was set up with');
  });
});

import { randomBytes } from 'node:crypto';
import { adminToken, createClient, createOrganization, type CreatedClient } from '../../support/factories.js';
import { expectTooManyRequests, tokenRequestFrom } from '../../support/rate-limits.js';
import { DataSource } from 'typeorm';
import { OAuthRateLimits } from '../../../src/oauth/rate-limit/oauth-rate-limits.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const WINDOW_SECONDS = 60;
const LIMITS = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_STORE: 'database',
  RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  RATE_LIMIT_PER_ADDRESS: '4',
  RATE_LIMIT_FAILURES_PER_CLIENT: '2',
  RATE_LIMIT_PER_CLIENT: '3',
};

describe('abuse limits shared by two replicas on one PostgreSQL database', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let client: CreatedClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One issuer for both, as behind a load balancer: passport's strategies are process-wide, so a second app in
    // this process verifies tokens for the first one too.
    const env = { ...LIMITS, ISSUER: 'http://127.0.0.1', SECRETS_KEY: randomBytes(32).toString('hex') };
    first = await startTestApp(env, database);
    second = await startTestApp(env, database);
    const admin = await adminToken(first);
    client = await createClient(first, admin, (await createOrganization(first, admin)).id);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
  });

  it('count requests from one address on both', async () => {
    const address = '198.51.100.1';
    // Each for another client ID, so that only the address limit is in play.
    for (const [i, t] of [first, second, first, second].entries()) {
      expect((await tokenRequestFrom(t, address, `unknown-${i}`, 'y')).status).toBe(401);
    }
    expectTooManyRequests(await tokenRequestFrom(first, address, 'x', 'y'), WINDOW_SECONDS);
    expectTooManyRequests(await tokenRequestFrom(second, address, 'x', 'y'), WINDOW_SECONDS);
  });

  it('lock a client ID out of an address on both after failures spread over both, and nowhere else', async () => {
    const attacker = '203.0.113.10';
    expect((await tokenRequestFrom(first, attacker, client.client_id, 'wrong')).status).toBe(401);
    expect((await tokenRequestFrom(second, attacker, client.client_id, 'wrong')).status).toBe(401);
    expectTooManyRequests(await tokenRequestFrom(first, attacker, client.client_id, client.client_secret), WINDOW_SECONDS);
    expectTooManyRequests(await tokenRequestFrom(second, attacker, client.client_id, client.client_secret), WINDOW_SECONDS);
    expect((await tokenRequestFrom(second, '203.0.113.20', client.client_id, client.client_secret)).status).toBe(200);
  });

  it('spend one client budget across both', async () => {
    const admin = await adminToken(second);
    const spender = await createClient(second, admin, (await createOrganization(second, admin, 'Spender')).id);
    for (const [i, t] of [first, second, first].entries()) {
      expect((await tokenRequestFrom(t, `192.0.2.${i + 1}`, spender.client_id, spender.client_secret)).status).toBe(200);
    }
    expectTooManyRequests(await tokenRequestFrom(second, '192.0.2.9', spender.client_id, spender.client_secret), WINDOW_SECONDS);
  });

  it('sweep counters that expired over an hour ago from the shared table, and keep live ones', async () => {
    const dataSource = first.app.get(DataSource);
    const longAgo = Date.now() - 2 * 3_600_000;
    await dataSource.query(`INSERT INTO rate_limits (key, points, expire) VALUES ('oauth_address:stale', 1, $1)`, [longAgo]);
    const live = (await dataSource.query(`SELECT count(*)::int AS n FROM rate_limits WHERE expire > $1`, [Date.now()])) as { n: number }[];

    await first.app.get(OAuthRateLimits).sweepExpired();

    expect(await dataSource.query(`SELECT key FROM rate_limits WHERE key = 'oauth_address:stale'`)).toEqual([]);
    const after = (await dataSource.query(`SELECT count(*)::int AS n FROM rate_limits WHERE expire > $1`, [Date.now()])) as { n: number }[];
    expect(after[0]!.n).toBe(live[0]!.n);
  });
});

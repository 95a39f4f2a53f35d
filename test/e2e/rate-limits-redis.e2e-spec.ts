import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { OAuthRateLimits } from '../../src/oauth/rate-limit/oauth-rate-limits.js';
import { adminToken, createClient, createOrganization, type CreatedClient } from '../support/factories.js';
import { addressCountedRequestFrom, admittedUntilRefused, expectTooManyRequests, tokenRequestFrom } from '../support/rate-limits.js';
import { ADMIN_CLIENT_SECRET, freePort, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** This machine's Redis; the test fails, never skips, when it is not there. */
const REDIS_URL = 'redis://127.0.0.1:6379';
const WINDOW_SECONDS = 60;
const LIMITS = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  RATE_LIMIT_PER_ADDRESS: '4',
  RATE_LIMIT_FAILURES_PER_CLIENT: '2',
  RATE_LIMIT_PER_CLIENT: '3',
};

/**
 * Counters outlive a run in Redis, so every key this file touches is its run's own: addresses of this run
 * (RFC 3849 documentation prefix), clients created in this run, and a bootstrap admin of this run.
 */
const run = randomBytes(4).toString('hex');
const address = (n: number) => `2001:db8:${run.slice(0, 4)}:${run.slice(4)}::${n.toString(16)}`;
const ADMIN_ID = `test-admin-${run}`;

async function runAdminToken(t: TestApp): Promise<string> {
  const response = await tokenRequestFrom(t, address(0), ADMIN_ID, ADMIN_CLIENT_SECRET);
  if (response.status !== 200) throw new Error(`admin token: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { access_token: string }).access_token;
}

describe('abuse limits shared through Redis', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let client: CreatedClient;
  let admin: string;

  beforeAll(async () => {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    await probe.connect();
    await probe.quit();

    // Two replicas (one issuer, as behind a load balancer) on one database, counting in Redis.
    database = await createTestDatabase();
    const env = {
      ...LIMITS,
      REDIS_URL,
      ISSUER: 'http://127.0.0.1',
      SECRETS_KEY: randomBytes(32).toString('hex'),
      BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN_ID,
    };
    first = await startTestApp(env, database);
    second = await startTestApp(env, database);
    admin = await runAdminToken(first);
    client = await createClient(first, admin, (await createOrganization(first, admin)).id);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  it('count requests from one address on both replicas', async () => {
    for (const [i, t] of [first, second, first, second].entries()) {
      expect((await tokenRequestFrom(t, address(1), `unknown-${run}-${i}`, 'y')).status).toBe(401);
    }
    expectTooManyRequests(await tokenRequestFrom(first, address(1), 'x', 'y'), WINDOW_SECONDS);
    expectTooManyRequests(await tokenRequestFrom(second, address(1), 'x', 'y'), WINDOW_SECONDS);
  });

  it('lock a client ID out of an address on both after failures spread over both, and nowhere else', async () => {
    expect((await tokenRequestFrom(first, address(2), client.client_id, 'wrong')).status).toBe(401);
    expect((await tokenRequestFrom(second, address(2), client.client_id, 'wrong')).status).toBe(401);
    expectTooManyRequests(await tokenRequestFrom(first, address(2), client.client_id, client.client_secret), WINDOW_SECONDS);
    expectTooManyRequests(await tokenRequestFrom(second, address(2), client.client_id, client.client_secret), WINDOW_SECONDS);
    expect((await tokenRequestFrom(second, address(3), client.client_id, client.client_secret)).status).toBe(200);
  });

  it('spend one client budget across both replicas', async () => {
    // One issuer and one key set: the first replica's admin token works on the second.
    const spender = await createClient(second, admin, (await createOrganization(second, admin, 'Spender')).id);
    for (const [i, t] of [first, second, first].entries()) {
      expect((await tokenRequestFrom(t, address(10 + i), spender.client_id, spender.client_secret)).status).toBe(200);
    }
    expectTooManyRequests(await tokenRequestFrom(second, address(20), spender.client_id, spender.client_secret), WINDOW_SECONDS);
  });
});

/** Above the direct band of 100 (rate-limiters.ts): the first 50 requests of a window are counted locally, then sent in batches. */
const BATCHED_PER_ADDRESS = 150;
const LOCALLY_COUNTED = BATCHED_PER_ADDRESS - 100;

describe('batched request counters in Redis', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let first: TestApp;
  let second: TestApp;
  let redis: Redis;

  const sharedCount = async (from: string) => Number(await redis.get(`oauth_address:${from}`));

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    await redis.connect();
    database = await createTestDatabase();
    env = {
      ...LIMITS,
      RATE_LIMIT_PER_ADDRESS: String(BATCHED_PER_ADDRESS),
      RATE_LIMIT_FAILURES_PER_CLIENT: '0',
      RATE_LIMIT_PER_CLIENT: '0',
      REDIS_URL,
      ISSUER: 'http://127.0.0.1',
      SECRETS_KEY: randomBytes(32).toString('hex'),
      BOOTSTRAP_ADMIN_CLIENT_ID: `${ADMIN_ID}-batched`,
    };
    first = await startTestApp(env, database);
    second = await startTestApp(env, database);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
    await redis?.quit();
  });

  it('refuse exactly at the limit on a single replica', async () => {
    const { admitted, refusal } = await admittedUntilRefused(first, address(30), BATCHED_PER_ADDRESS);
    expect(admitted).toBe(BATCHED_PER_ADDRESS);
    expectTooManyRequests(refusal, WINDOW_SECONDS);
    // Every admitted request reached Redis; the refusal was decided here, from what Redis had answered.
    expect(await sharedCount(address(30))).toBe(BATCHED_PER_ADDRESS);
  });

  it('hold the limit across two replicas, overshooting by at most what the other counted before learning of it', async () => {
    expect((await admittedUntilRefused(first, address(31), BATCHED_PER_ADDRESS)).admitted).toBe(BATCHED_PER_ADDRESS);
    const overshoot = (await admittedUntilRefused(second, address(31), BATCHED_PER_ADDRESS)).admitted;
    expect(overshoot).toBeLessThanOrEqual(LOCALLY_COUNTED);
    await second.app.get(OAuthRateLimits).flushCounts();
    expect(await sharedCount(address(31))).toBeGreaterThan(BATCHED_PER_ADDRESS);
    expectTooManyRequests(await addressCountedRequestFrom(first, address(31)), WINDOW_SECONDS);
    expectTooManyRequests(await addressCountedRequestFrom(second, address(31)), WINDOW_SECONDS);
  });

  it('send the counts a replica holds in one batch, and those left when it shuts down', async () => {
    expect((await addressCountedRequestFrom(first, address(32))).status).not.toBe(429);
    // Counted locally: nothing in Redis until the batch is sent (FLUSH_INTERVAL_MS after the first count), so
    // looked at right after the first request, before that flush can be due however slow the machine.
    expect(await redis.get(`oauth_address:${address(32)}`)).toBeNull();
    for (let i = 1; i < 10; i++) expect((await addressCountedRequestFrom(first, address(32))).status).not.toBe(429);
    await first.app.get(OAuthRateLimits).flushCounts();
    expect(await sharedCount(address(32))).toBe(10);
    const leaving = await startTestApp(env, database);
    for (let i = 0; i < 5; i++) expect((await addressCountedRequestFrom(leaving, address(32))).status).not.toBe(429);
    await leaving.close();
    expect(await sharedCount(address(32))).toBe(15);
  });
});

describe('abuse limits when Redis is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A port nothing listens on: the replica starts, and its limits hold in its own memory.
    t = await startTestApp({ ...LIMITS, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => t.close());

  it('still issues tokens (no 500) and still limits, per process', async () => {
    const admin = await adminToken(t);
    const client = await createClient(t, admin, (await createOrganization(t, admin)).id);
    expect((await tokenRequestFrom(t, '198.51.100.1', client.client_id, client.client_secret)).status).toBe(200);
    expect((await tokenRequestFrom(t, '198.51.100.2', client.client_id, 'wrong')).status).toBe(401);
    expect((await tokenRequestFrom(t, '198.51.100.2', client.client_id, 'wrong')).status).toBe(401);
    expectTooManyRequests(await tokenRequestFrom(t, '198.51.100.2', client.client_id, client.client_secret), WINDOW_SECONDS);
  });
});

import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OAuthRateLimits } from '../../../src/oauth/rate-limit/oauth-rate-limits.js';
import { addressCountedRequestFrom, admittedUntilRefused, expectTooManyRequests } from '../../support/rate-limits.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const WINDOW_SECONDS = 60;
/** Above the direct band of 100 (rate-limiters.ts): the first 50 requests of a window are counted locally. */
const PER_ADDRESS = 150;
const LOCALLY_COUNTED = PER_ADDRESS - 100;
const LIMITS = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_STORE: 'database',
  RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
  RATE_LIMIT_FAILURES_PER_CLIENT: '0',
  RATE_LIMIT_PER_CLIENT: '0',
};

async function sharedCount(t: TestApp, address: string): Promise<number | undefined> {
  const rows = (await t.app.get(DataSource).query(`SELECT points FROM rate_limits WHERE key = $1`, [`oauth_address:${address}`])) as {
    points: number;
  }[];
  return rows[0]?.points;
}

describe('batched request counters on PostgreSQL', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { ...LIMITS, ISSUER: 'http://127.0.0.1', SECRETS_KEY: randomBytes(32).toString('hex') };
    first = await startTestApp(env, database);
    second = await startTestApp(env, database);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
  });

  it('refuse exactly at the limit on a single replica', async () => {
    const { admitted, refusal } = await admittedUntilRefused(first, '198.51.100.50', PER_ADDRESS);
    expect(admitted).toBe(PER_ADDRESS);
    expectTooManyRequests(refusal, WINDOW_SECONDS);
  });

  it('hold the limit across two replicas, overshooting by at most what the other counted before learning of it', async () => {
    const address = '198.51.100.51';
    expect((await admittedUntilRefused(first, address, PER_ADDRESS)).admitted).toBe(PER_ADDRESS);
    // The second replica may not have heard of those yet: it admits at most what it counts locally before asking.
    const overshoot = (await admittedUntilRefused(second, address, PER_ADDRESS)).admitted;
    expect(overshoot).toBeLessThanOrEqual(LOCALLY_COUNTED);
    await second.app.get(OAuthRateLimits).flushCounts();
    expect(await sharedCount(first, address)).toBeGreaterThan(PER_ADDRESS);
    expectTooManyRequests(await addressCountedRequestFrom(first, address), WINDOW_SECONDS);
    expectTooManyRequests(await addressCountedRequestFrom(second, address), WINDOW_SECONDS);
  });

  it('share one count when requests alternate between the replicas', async () => {
    const address = '198.51.100.52';
    let admitted = 0;
    for (let turn = 0; admitted <= 2 * PER_ADDRESS; turn++) {
      if ((await addressCountedRequestFrom(turn % 2 === 0 ? first : second, address)).status === 429) break;
      admitted++;
    }
    expect(admitted).toBeGreaterThanOrEqual(PER_ADDRESS);
    expect(admitted).toBeLessThanOrEqual(PER_ADDRESS + LOCALLY_COUNTED);
  });

  it('send the counts a replica holds when it shuts down', async () => {
    const address = '198.51.100.53';
    const leaving = await startTestApp(env, database);
    for (let i = 0; i < 10; i++) expect((await addressCountedRequestFrom(leaving, address)).status).not.toBe(429);
    await leaving.close();
    expect(await sharedCount(first, address)).toBe(10);
  });
});

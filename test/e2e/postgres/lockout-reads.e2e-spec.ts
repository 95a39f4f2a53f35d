import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { adminToken, createClient, createOrganization, type CreatedClient } from '../../support/factories.js';
import { expectTooManyRequests, tokenRequestFrom } from '../../support/rate-limits.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const WINDOW_SECONDS = 60;

/**
 * The lockout check of concurrent token requests on PostgreSQL, read in
 * shared statements (BatchedFailureReads): each request still gets the
 * answer for its own (client ID, address) pair, and a lockout committed by
 * another replica holds for every request that arrives after it.
 */
describe('lockout checks of concurrent token requests on PostgreSQL', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let locked: CreatedClient;
  let other: CreatedClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      TRUST_PROXY: 'true',
      RATE_LIMIT_STORE: 'database',
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      RATE_LIMIT_PER_ADDRESS: '1000',
      RATE_LIMIT_PER_CLIENT: '1000',
      RATE_LIMIT_FAILURES_PER_CLIENT: '2',
      ISSUER: 'http://127.0.0.1',
      SECRETS_KEY: randomBytes(32).toString('hex'),
    };
    first = await startTestApp(env, database);
    second = await startTestApp(env, database);
    const admin = await adminToken(first);
    const organization = await createOrganization(first, admin);
    locked = await createClient(first, admin, organization.id);
    other = await createClient(first, admin, organization.id);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
  });

  it('answer each pair of a concurrent burst on its own, the pair locked out on the other replica refused', async () => {
    const attacker = '203.0.113.66';
    for (let i = 0; i < 2; i++) expect((await tokenRequestFrom(first, attacker, locked.client_id, 'wrong')).status).toBe(401);
    const query = jest.spyOn(second.app.get(DataSource), 'query');

    const burst = await Promise.all([
      ...Array.from({ length: 8 }, () => tokenRequestFrom(second, attacker, locked.client_id, locked.client_secret)),
      ...Array.from({ length: 8 }, (_, i) => tokenRequestFrom(second, `198.51.100.${i + 1}`, locked.client_id, locked.client_secret)),
      ...Array.from({ length: 8 }, () => tokenRequestFrom(second, attacker, other.client_id, other.client_secret)),
    ]);

    for (const response of burst.slice(0, 8)) expectTooManyRequests(response, WINDOW_SECONDS);
    expect(burst.slice(8).map((response) => response.status)).toEqual(Array.from({ length: 16 }, () => 200));
    // The checks went through the shared statement, not one library query per request.
    const lockoutReads = query.mock.calls.filter(([sql]) => String(sql).includes('key = ANY('));
    expect(lockoutReads.length).toBeGreaterThanOrEqual(1);
    expect(lockoutReads.length).toBeLessThanOrEqual(burst.length);
    query.mockRestore();
  });

  it('refuse the very next request on one replica once the other has locked the pair out', async () => {
    const attacker = '203.0.113.77';
    expect((await tokenRequestFrom(second, attacker, other.client_id, other.client_secret)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await tokenRequestFrom(first, attacker, other.client_id, 'wrong')).status).toBe(401);
    expectTooManyRequests(await tokenRequestFrom(second, attacker, other.client_id, other.client_secret), WINDOW_SECONDS);
  });
});

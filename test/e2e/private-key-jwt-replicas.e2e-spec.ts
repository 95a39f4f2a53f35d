import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsedAssertionEntity } from '../../src/oauth/client-auth/used-assertion.entity.js';
import { UsedAssertionsPruner } from '../../src/oauth/client-auth/used-assertions.pruner.js';
import { type CreatedClient, organizationWithClient } from '../support/factories.js';
import { clientKey, type ClientKey, JWT_BEARER, jwksOf, signAssertion } from '../support/client-keys.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const ISSUER = 'https://orgsync.test';

/**
 * Two replicas on one database (a shared SQLite file, or one PostgreSQL
 * database): a client assertion used at one is refused at the other, and of
 * two racing uses exactly one wins (RFC 7523 section 3, item 7).
 */
describe('client assertion replay across replicas', () => {
  let database: TestDatabase;
  let replicas: TestApp[] = [];
  let key: ClientKey;
  let client: CreatedClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One issuer for both, as replicas behind one URL have; one after the other, so the first runs the migrations.
    const env = { SECRETS_KEY: randomBytes(32).toString('hex'), ISSUER, RATE_LIMIT_FAILURES_PER_CLIENT: '0' };
    replicas.push(await startTestApp(env, database));
    replicas.push(await startTestApp(env, database));
    key = await clientKey('ES256');
    ({ client } = await organizationWithClient(replicas[0]!, { token_endpoint_auth_method: 'private_key_jwt', jwks: jwksOf(key) }));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    replicas = [];
    await database?.drop();
  });

  const useAt = (replica: TestApp, assertion: string) =>
    replica
      .http()
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion });

  it('refuses at the second replica an assertion used at the first', async () => {
    const assertion = await signAssertion(key, client.client_id, ISSUER);
    expect((await useAt(replicas[0]!, assertion)).status).toBe(200);
    const replay = await useAt(replicas[1]!, assertion);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ error: 'invalid_client', error_description: expect.stringMatching(/replay/) });
  });

  it('lets exactly one of two simultaneous uses through', async () => {
    for (let round = 0; round < 5; round++) {
      const assertion = await signAssertion(key, client.client_id, ISSUER);
      const statuses = (await Promise.all(replicas.map((replica) => useAt(replica, assertion)))).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 401]);
    }
  });

  it('prunes the records of expired assertions only', async () => {
    const used = replicas[0]!.app.get(DataSource).getRepository(UsedAssertionEntity);
    await used.insert({ clientId: client.client_id, jti: 'long-expired', expiresAt: new Date(Date.now() - 3_600_000) });
    const live = await used.countBy({ clientId: client.client_id });
    await replicas[1]!.app.get(UsedAssertionsPruner).prune();
    expect(await used.findOneBy({ clientId: client.client_id, jti: 'long-expired' })).toBeNull();
    expect(await used.countBy({ clientId: client.client_id })).toBe(live - 1);
  });
});

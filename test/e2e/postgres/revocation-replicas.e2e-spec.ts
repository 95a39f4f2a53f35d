import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { adminToken, createClient, createOrganization, type CreatedClient, obtainToken } from '../../support/factories.js';
import { eventually, introspect, revoke } from '../../support/token-requests.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

/** What the issue promises: a revocation, a disabled client or a deleted organization holds on every replica within a second. */
const WITHIN_MS = 1_000;

/**
 * PostgreSQL only (jest.config.js runs test/e2e/postgres/ when TEST_DATABASE_URL
 * is set): two replicas, two app instances on one database, as in production.
 * They share SECRETS_KEY and ISSUER, as replicas do. Passport strategies are
 * process-global and the last app started registers the one in use, so `b`,
 * started second, answers bearer calls with its own verifier and revocation list.
 */
describe('revocation and client state across replicas (PostgreSQL)', () => {
  const common = { SECRETS_KEY: randomBytes(32).toString('hex'), ISSUER: 'http://localhost' };
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let organizationId: string;
  let resourceServer: CreatedClient;
  const platformAdmin = { client_id: ADMIN_CLIENT_ID, client_secret: ADMIN_CLIENT_SECRET } as CreatedClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestApp(common, database);
    b = await startTestApp(common, database);
    admin = await adminToken(a);
    organizationId = (await createOrganization(a, admin, 'Replicated Org')).id;
    resourceServer = await createClient(a, admin, organizationId, { introspection_allowed: true });
    // The platform admin may introspect every organization's tokens once given the permission.
    await a
      .http()
      .patch(`/admin/clients/${ADMIN_CLIENT_ID}`)
      .auth(admin, { type: 'bearer' })
      .send({ introspection_allowed: true })
      .expect(200);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  const organizationApi = (app: TestApp, token: string) => app.http().get('/api/v1/organization').auth(token, { type: 'bearer' });
  const statusOf = (response: Response) => response.status;
  const activeOf = (response: Response) => (response.body as { active: boolean }).active;

  it('makes a token revoked on one replica refused by the organization API of another within a second', async () => {
    const partner = await createClient(a, admin, organizationId);
    const token = await obtainToken(a, partner.client_id, partner.client_secret, 'org:read');
    expect((await organizationApi(b, token)).status).toBe(200);

    await revoke(a, partner, { token }).expect(200);

    const refused = await eventually(
      () => organizationApi(b, token),
      (response) => statusOf(response) === 401,
      WITHIN_MS,
    );
    expect(refused.headers['www-authenticate']).toMatch(/error="invalid_token", error_description="The access token has been revoked\."/);
    expect((await introspect(b, resourceServer, { token })).body).toEqual({ active: false });
  });

  it('makes introspection on another replica report the token of a client disabled on one replica inactive within a second', async () => {
    const partner = await createClient(a, admin, organizationId);
    const token = await obtainToken(a, partner.client_id, partner.client_secret, 'org:read');
    // Loads the client into b's cache, which is what must not outlive the change.
    expect(activeOf(await introspect(b, resourceServer, { token }))).toBe(true);

    await a.http().patch(`/admin/clients/${partner.client_id}`).auth(admin, { type: 'bearer' }).send({ status: 'disabled' }).expect(200);

    const answer = await eventually(
      () => introspect(b, resourceServer, { token }),
      (response) => !activeOf(response),
      WITHIN_MS,
    );
    expect(answer.body).toEqual({ active: false });
  });

  it("makes introspection on another replica report a deleted organization's tokens inactive within a second", async () => {
    const doomed = await createOrganization(a, admin, 'Doomed Org');
    const partner = await createClient(a, admin, doomed.id);
    const token = await obtainToken(a, partner.client_id, partner.client_secret, 'org:read');
    expect(activeOf(await introspect(b, platformAdmin, { token }))).toBe(true);

    await a.http().delete(`/admin/organizations/${doomed.id}`).auth(admin, { type: 'bearer' }).expect(204);

    const answer = await eventually(
      () => introspect(b, platformAdmin, { token }),
      (response) => !activeOf(response),
      WITHIN_MS,
    );
    expect(answer.body).toEqual({ active: false });
  });

  it('refuses on another replica, within a second, a resource server disabled on one replica', async () => {
    const rs = await createClient(a, admin, organizationId, { introspection_allowed: true });
    const token = await obtainToken(a, resourceServer.client_id, resourceServer.client_secret, 'org:read');
    expect((await introspect(b, rs, { token })).status).toBe(200);

    await a.http().patch(`/admin/clients/${rs.client_id}`).auth(admin, { type: 'bearer' }).send({ status: 'disabled' }).expect(200);

    const refused = await eventually(
      () => introspect(b, rs, { token }),
      (response) => response.status === 401,
      WITHIN_MS,
    );
    expect(refused.body).toMatchObject({ error: 'invalid_client' });
  });
});

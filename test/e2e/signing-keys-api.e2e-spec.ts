import { jest } from '@jest/globals';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { AuditEventResponse } from '../../src/audit/dto/audit-event.response.js';
import { SigningKeysRepository } from '../../src/oauth/keys/signing-keys.repository.js';
import {
  adminToken,
  createClient,
  createOrganization,
  DATA_SCOPES,
  expectProblem,
  nonAdminToken,
  obtainToken,
  organizationWithClient,
  type CreatedClient,
} from '../support/factories.js';
import { ADMIN_CLIENT_ID, startTestApp, type TestApp } from '../support/test-app.js';

interface SigningKey {
  kid: string;
  alg: string;
  status: 'active' | 'retired';
  created_at: string;
  retired_at: string | null;
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const kidOf = (token: string) => decodeProtectedHeader(token).kid;

describe('the admin signing-key API (/admin/signing-keys)', () => {
  let t: TestApp;
  let admin: string;
  let partner: CreatedClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    ({ client: partner } = await organizationWithClient(t));
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const list = (token = admin) => t.http().get('/admin/signing-keys').auth(token, { type: 'bearer' });
  const rotate = (token = admin) => t.http().post('/admin/signing-keys/rotate').auth(token, { type: 'bearer' });
  const keys = async () => {
    const response = await list();
    expect(response.status).toBe(200);
    return (response.body as { data: SigningKey[] }).data;
  };
  const callApi = (token: string) => t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });

  it('lists the one key a fresh server made, as kid, alg, status and times only', async () => {
    const token = await obtainToken(t, partner.client_id, partner.client_secret);

    const response = await list();

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: [{ kid: kidOf(token), alg: 'ES256', status: 'active', created_at: expect.stringMatching(ISO_INSTANT), retired_at: null }],
    });
    // Never key material: no private key (encrypted or not), no public JWK members.
    expect(response.text).not.toMatch(/private|public_jwk|"d"|"x"|"y"|BEGIN/);
  });

  it('rotates: the new key signs, the old one is retired but still published, and tokens it signed still work', async () => {
    const before = await obtainToken(t, partner.client_id, partner.client_secret);
    const previousKid = kidOf(before)!;

    const response = await rotate();

    expect(response.status).toBe(201);
    const created = response.body as SigningKey;
    expect(created).toEqual({
      kid: expect.any(String),
      alg: 'ES256',
      status: 'active',
      created_at: expect.stringMatching(ISO_INSTANT),
      retired_at: null,
    });
    expect(created.kid).not.toBe(previousKid);

    const [newest, retired] = await keys();
    expect(newest).toEqual(created);
    expect(retired).toMatchObject({ kid: previousKid, status: 'retired', retired_at: expect.stringMatching(ISO_INSTANT) });

    const jwks = (await t.http().get('/oauth/jwks')).body as JSONWebKeySet;
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([previousKid, created.kid]));
    const after = await obtainToken(t, partner.client_id, partner.client_secret);
    expect(kidOf(after)).toBe(created.kid);
    expect((await callApi(before)).status).toBe(200);
    expect((await callApi(after)).status).toBe(200);
  });

  it('records the rotation in the audit log as the CLI does, with reason api and the admin client as actor', async () => {
    const previousKid = (await keys())[0]!.kid;
    const created = (await rotate()).body as SigningKey;
    await t.app.get(AuditLog).flush();

    const response = await t.http().get('/admin/audit-events').query({ action: 'signing_key.rotated' }).auth(admin, { type: 'bearer' });

    expect(response.status).toBe(200);
    const [event] = (response.body as { data: AuditEventResponse[] }).data;
    expect(event).toMatchObject({
      action: 'signing_key.rotated',
      outcome: 'success',
      client_id: ADMIN_CLIENT_ID,
      target: { type: 'signing_key', id: created.kid },
      details: { kid: created.kid, alg: 'ES256', previous_kid: previousKid, reason: 'api' },
    });
  });

  it('answers 409, rotating nothing, when another process rotated at the same moment', async () => {
    const before = await keys();
    jest.spyOn(t.app.get(SigningKeysRepository), 'activate').mockResolvedValueOnce(false);

    const problem = expectProblem(await rotate(), 409, 'conflict');

    expect(problem.detail).toMatch(/rotate again/);
    expect(await keys()).toEqual(before);
  });

  it.each([
    ['GET', '/admin/signing-keys'],
    ['POST', '/admin/signing-keys/rotate'],
  ])('refuses %s %s without a token: 401 with an RFC 6750 challenge', async (method, path) => {
    const response = await t.http()[method === 'GET' ? 'get' : 'post'](path);

    expectProblem(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync"');
  });

  it.each([
    ['GET', '/admin/signing-keys'],
    ['POST', '/admin/signing-keys/rotate'],
  ])('refuses %s %s to a token without the admin scope: 403 insufficient_scope', async (method, path) => {
    const token = await nonAdminToken(t);
    const kidsBefore = (await keys()).map((key) => key.kid);

    const response = await t.http()[method === 'GET' ? 'get' : 'post'](path).auth(token, { type: 'bearer' });

    expectProblem(response, 403, 'insufficient_scope');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync", error="insufficient_scope", scope="admin"');
    expect((await keys()).map((key) => key.kid)).toEqual(kidsBefore);
  });

  it("refuses an organization's own administrator: the admin scope is for platform organizations only", async () => {
    const organization = await createOrganization(t, admin, 'Tenant With Its Own Admin');
    // An ordinary organization's client cannot even be granted admin...
    const refused = await t
      .http()
      .post(`/admin/organizations/${organization.id}/clients`)
      .auth(admin, { type: 'bearer' })
      .send({ client_name: 'Tenant admin', scope: 'admin' });
    expect(refused.status).toBe(400);
    // ...so the most it holds is every organization scope, and that is not enough.
    const tenantAdmin = await createClient(t, admin, organization.id, { client_name: 'Tenant admin', scope: `${DATA_SCOPES} sync:read` });
    const token = await obtainToken(t, tenantAdmin.client_id, tenantAdmin.client_secret);
    const kidsBefore = (await keys()).map((key) => key.kid);

    expectProblem(await list(token), 403, 'insufficient_scope');
    expectProblem(await rotate(token), 403, 'insufficient_scope');
    expect((await keys()).map((key) => key.kid)).toEqual(kidsBefore);
  });

  it('is documented in OpenAPI for the admin scope, answering the key shape', async () => {
    const document = (await t.http().get('/docs/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { security?: unknown; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>
      >;
      components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
    };
    const listed = document.paths['/admin/signing-keys']?.get;
    const rotated = document.paths['/admin/signing-keys/rotate']?.post;
    expect(listed?.security).toEqual([{ oauth2: ['admin'] }]);
    expect(rotated?.security).toEqual([{ oauth2: ['admin'] }]);
    expect(Object.keys(rotated?.responses ?? {})).toEqual(expect.arrayContaining(['201', '401', '403', '409']));
    const schema = document.components.schemas[rotated!.responses['201']!.content!['application/json']!.schema.$ref!.split('/').pop()!];
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(['alg', 'created_at', 'kid', 'retired_at', 'status']);
  });
});

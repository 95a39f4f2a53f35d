import { KNOWN_SCOPES } from '../../src/common/scopes.js';
import {
  adminToken,
  createClient,
  createOrganization,
  createPlatformOrganization,
  type CreatedClient,
  expectNoInternals,
  expectProblem,
  nonAdminToken,
  obtainToken,
} from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface ClientPage {
  data: Record<string, unknown>[];
  next_cursor: string | null;
}

const CLIENT_FIELDS = [
  'access_token_ttl',
  'client_id',
  'client_id_issued_at',
  'client_name',
  'created_at',
  'default_scope',
  'grant_types',
  'introspection_allowed',
  'organization_id',
  'scope',
  'status',
  'token_endpoint_auth_method',
  'updated_at',
];

describe('the admin clients API', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin)).id;
  });
  afterAll(() => t.close());

  const createRaw = (body: unknown, organization = organizationId) =>
    t
      .http()
      .post(`/admin/organizations/${organization}/clients`)
      .auth(admin, { type: 'bearer' })
      .send(body as object);

  describe('creating a client', () => {
    it('returns RFC 7591 metadata with a generated id and the secret, once', async () => {
      const before = Math.floor(Date.now() / 1000);
      const response = await createRaw({ client_name: 'Payroll sync', scope: 'org:read members:read' });

      expect(response.status).toBe(201);
      // The one response that carries the secret must never be cached (RFC 6749 section 5.1 sets the same rule for tokens).
      expect(response.headers['cache-control']).toBe('no-store');
      expect(Object.keys(response.body as object).sort()).toEqual([...CLIENT_FIELDS, 'client_secret', 'client_secret_expires_at'].sort());
      expect(response.body).toEqual({
        client_id: expect.stringMatching(/^orgsync_ci_[A-Za-z0-9_-]{22}$/),
        client_secret: expect.stringMatching(/^orgsync_cs_[A-Za-z0-9_-]{43}$/),
        client_secret_expires_at: 0,
        client_id_issued_at: expect.any(Number),
        client_name: 'Payroll sync',
        organization_id: organizationId,
        scope: 'org:read members:read',
        default_scope: 'org:read members:read',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        access_token_ttl: null,
        introspection_allowed: false,
        status: 'active',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const body = response.body as CreatedClient & { client_id_issued_at: number; created_at: string };
      expect(body.client_id_issued_at).toBeGreaterThanOrEqual(before - 1);
      expect(body.client_id_issued_at).toBe(Math.floor(Date.parse(body.created_at) / 1000));
    });

    it('issues a secret that obtains a token for the default scope', async () => {
      const client = await createClient(t, admin, organizationId, { scope: 'org:read members:read' });

      const response = await t
        .http()
        .post('/oauth/token')
        .auth(client.client_id, client.client_secret)
        .type('form')
        .send({ grant_type: 'client_credentials' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ token_type: 'Bearer', scope: 'org:read members:read' });
    });

    it('generates a different id and secret for every client', async () => {
      const first = await createClient(t, admin, organizationId);
      const second = await createClient(t, admin, organizationId);

      expect(second.client_id).not.toBe(first.client_id);
      expect(second.client_secret).not.toBe(first.client_secret);
    });

    it('stores scopes in one canonical order, without duplicates', async () => {
      const client = await createClient(t, admin, organizationId, {
        scope: 'members:read org:read members:read',
        default_scope: 'members:read org:read',
      });

      expect(client.scope).toBe('org:read members:read');
      expect(client.default_scope).toBe('org:read members:read');
    });

    it('keeps default_scope to what was asked for when it is narrower than scope', async () => {
      const client = await createClient(t, admin, organizationId, { scope: 'org:read members:read', default_scope: 'org:read' });

      expect(client).toMatchObject({ scope: 'org:read members:read', default_scope: 'org:read' });
    });

    it('accepts the optional metadata it understands', async () => {
      const client = await createClient(t, admin, organizationId, {
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials'],
        access_token_ttl: 30,
      });

      expect(client).toMatchObject({
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials'],
        access_token_ttl: 30,
      });
    });

    it('answers 404 for an organization that does not exist', async () => {
      const response = await createRaw({ client_name: 'Orphan', scope: 'org:read' }, '01900000-0000-7000-8000-000000000000');

      expectProblem(response, 404, 'not_found');
    });
  });

  describe('the admin scope', () => {
    it('is refused to a client of an ordinary organization', async () => {
      const response = await createRaw({ client_name: 'Escalation', scope: 'org:read admin' });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toEqual([
        { field: 'scope', message: 'the admin scope may only be granted to clients of a platform organization' },
      ]);
    });

    it('is granted to a client of a platform organization, which can then administer', async () => {
      const platform = await createPlatformOrganization(t, admin);
      const client = await createClient(t, admin, platform.id, { client_name: 'Second operator', scope: 'admin' });
      expect(client).toMatchObject({ scope: 'admin', default_scope: 'admin' });

      const token = await obtainToken(t, client.client_id, client.client_secret, 'admin');
      const response = await t.http().get(`/admin/organizations/${organizationId}`).auth(token, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: organizationId });
    });
  });

  describe('validating client metadata', () => {
    it.each([
      ['an unknown scope', { scope: 'org:read billing:write' }, 'scope', expect.stringContaining('unknown scope billing:write')],
      ['an empty scope', { scope: '' }, 'scope', 'scope must name at least one scope'],
      ['a scope breaking the RFC 6749 grammar', { scope: 'org:read  members:read' }, 'scope', 'scope must be space-delimited scope names'],
      ['a scope given as an array', { scope: ['org:read'] }, 'scope', 'scope must be a space-delimited string of scopes'],
      ['a missing scope', { scope: undefined }, 'scope', 'scope must be a space-delimited string of scopes'],
      [
        'a default_scope outside scope',
        { scope: 'org:read', default_scope: 'org:read members:read' },
        'default_scope',
        'default_scope may only name allowed scopes; not allowed: members:read',
      ],
      [
        'an unknown default_scope',
        { default_scope: 'nope' },
        'default_scope',
        expect.stringContaining(`unknown scope nope; known scopes are: ${KNOWN_SCOPES.join(' ')}`),
      ],
      [
        'private_key_jwt without public keys',
        { token_endpoint_auth_method: 'private_key_jwt' },
        'jwks',
        'a private_key_jwt client needs its public keys: give jwks or jwks_uri',
      ],
      [
        'the none token_endpoint_auth_method (public clients)',
        { token_endpoint_auth_method: 'none' },
        'token_endpoint_auth_method',
        'token_endpoint_auth_method must be one of client_secret_basic, client_secret_post, private_key_jwt',
      ],
      [
        'a grant type other than client_credentials',
        { grant_types: ['authorization_code'] },
        'grant_types',
        'grant_types may only be ["client_credentials"]',
      ],
      [
        'client_credentials alongside another grant type',
        { grant_types: ['client_credentials', 'refresh_token'] },
        'grant_types',
        'grant_types may only be ["client_credentials"]',
      ],
      ['grant_types that is not an array', { grant_types: 'client_credentials' }, 'grant_types', 'grant_types must be an array'],
      ['an empty grant_types', { grant_types: [] }, 'grant_types', 'grant_types may only be ["client_credentials"]'],
      [
        'an access_token_ttl below 30 seconds',
        { access_token_ttl: 29 },
        'access_token_ttl',
        'access_token_ttl must be at least 30 seconds',
      ],
      [
        'an access_token_ttl above a day',
        { access_token_ttl: 86_401 },
        'access_token_ttl',
        'access_token_ttl must be at most 86400 seconds',
      ],
      [
        'a fractional access_token_ttl',
        { access_token_ttl: 60.5 },
        'access_token_ttl',
        'access_token_ttl must be a whole number of seconds',
      ],
      [
        'an access_token_ttl given as a string',
        { access_token_ttl: '3600' },
        'access_token_ttl',
        'access_token_ttl must be a whole number of seconds',
      ],
      [
        'an access_token_ttl given as an array',
        { access_token_ttl: [3600] },
        'access_token_ttl',
        'access_token_ttl must be a whole number of seconds',
      ],
      ['an empty client_name', { client_name: '' }, 'client_name', 'client_name must not be empty'],
      ['a missing client_name', { client_name: undefined }, 'client_name', 'client_name must be a string'],
      ['a client_name over 200 characters', { client_name: 'c'.repeat(201) }, 'client_name', 'client_name must be at most 200 characters'],
      ['a client_name with a newline', { client_name: 'Line\nbreak' }, 'client_name', 'client_name must not contain control characters'],
      ['a client_name with an escape', { client_name: '\u001b[31mred' }, 'client_name', 'client_name must not contain control characters'],
      ['a client_name with DEL', { client_name: 'del\u007f' }, 'client_name', 'client_name must not contain control characters'],
      ['an unknown field', { redirect_uris: ['https://example.com/cb'] }, 'redirect_uris', 'redirect_uris is not a known field'],
      ['a client-chosen client_id', { client_id: 'mine' }, 'client_id', 'client_id is not a known field'],
      ['a client-chosen client_secret', { client_secret: 'hunter2' }, 'client_secret', 'client_secret is not a known field'],
      ['a status on creation', { status: 'disabled' }, 'status', 'status is not a known field'],
    ])('refuses %s with a field error', async (_case, override, field, message) => {
      const response = await createRaw({ client_name: 'Valid name', scope: 'org:read members:read', ...override });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.detail).toEqual(expect.any(String));
      expect(problem.errors).toContainEqual({ field, message });
      expect(problem.errors?.every((error) => error.field === field)).toBe(true);
    });

    it('reports every invalid field at once', async () => {
      const response = await createRaw({ client_name: '', scope: 'org:read', access_token_ttl: 5, token_endpoint_auth_method: 'x' });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(new Set(problem.errors?.map((error) => error.field))).toEqual(
        new Set(['client_name', 'access_token_ttl', 'token_endpoint_auth_method']),
      );
    });

    it.each([30, 86_400])('accepts an access_token_ttl of %i seconds', async (ttl) => {
      const client = await createClient(t, admin, organizationId, { access_token_ttl: ttl });

      expect(client).toMatchObject({ access_token_ttl: ttl });
    });

    it('accepts a client_name of exactly 200 characters, non-ASCII included', async () => {
      const name = `Société ${'é'.repeat(192)}`;
      const client = await createClient(t, admin, organizationId, { client_name: name });

      expect(client).toMatchObject({ client_name: name });
    });

    it('creates nothing when validation fails', async () => {
      const organization = await createOrganization(t, admin, 'Empty');
      await createRaw({ client_name: 'Bad', scope: 'admin' }, organization.id).expect(400);

      const listed = await t.http().get(`/admin/organizations/${organization.id}/clients`).auth(admin, { type: 'bearer' });

      expect(listed.body).toEqual({ data: [], next_cursor: null });
    });
  });

  describe('reading and listing', () => {
    it('returns the client without its secret or any hash', async () => {
      const client = await createClient(t, admin, organizationId);

      const response = await t.http().get(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(Object.keys(response.body as object).sort()).toEqual(CLIENT_FIELDS);
      const created = client as CreatedClient & Record<string, unknown>;
      expect(response.body).toEqual(Object.fromEntries(CLIENT_FIELDS.map((field) => [field, created[field]])));
      expect(response.text).not.toContain(client.client_secret);
      expect(Object.keys(response.body as object).filter((key) => /hash|secret/i.test(key))).toEqual([]);
      expect(response.text).not.toMatch(/"(hash|hash_alg|hint)"/);
    });

    it('answers 404 for a client that does not exist', async () => {
      for (const id of ['orgsync_ci_doesnotexist', 'é', 'x'.repeat(200)]) {
        const response = await t.http().get(`/admin/clients/${id}`).auth(admin, { type: 'bearer' });
        expectProblem(response, 404, 'not_found');
      }
      expectProblem(await t.http().get('/admin/clients/%00').auth(admin, { type: 'bearer' }), 400, 'bad_url');
    });

    it("lists an organization's clients page by page, each once, never with a secret", async () => {
      const organization = await createOrganization(t, admin, 'Many clients');
      const other = await createOrganization(t, admin, 'Neighbour');
      const created: CreatedClient[] = [];
      for (let i = 0; i < 5; i++) created.push(await createClient(t, admin, organization.id, { client_name: `Client ${i}` }));
      const stranger = await createClient(t, admin, other.id);

      const walked: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await t
          .http()
          .get(`/admin/organizations/${organization.id}/clients`)
          .query(cursor === null ? { limit: 2 } : { limit: 2, cursor })
          .auth(admin, { type: 'bearer' });
        expect(response.status).toBe(200);
        for (const client of [...created, stranger]) expect(response.text).not.toContain(client.client_secret);
        const page = response.body as ClientPage;
        expect(page.data.length).toBe(pages < 2 ? 2 : 1);
        walked.push(...page.data);
        cursor = page.next_cursor;
        pages++;
      } while (cursor !== null);

      expect(pages).toBe(3);
      expect(walked.map((client) => client.client_id).sort()).toEqual(created.map((client) => client.client_id).sort());
      expect(walked.every((client) => client.organization_id === organization.id)).toBe(true);
      expect(walked.every((client) => Object.keys(client).sort().join() === CLIENT_FIELDS.join())).toBe(true);
    });

    it.each([
      ['limit=0', { limit: 0 }, 'limit'],
      ['limit=201', { limit: 201 }, 'limit'],
      ['a foreign cursor', { cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
      ['a cursor forged to hold a NUL byte', { cursor: Buffer.from('{"after":"\\u0000"}').toString('base64url') }, 'cursor'],
    ])('refuses %s when listing clients', async (_case, query, field) => {
      const response = await t.http().get(`/admin/organizations/${organizationId}/clients`).query(query).auth(admin, { type: 'bearer' });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.field)).toEqual([field]);
    });

    it('answers 404 when listing the clients of an organization that does not exist', async () => {
      const response = await t
        .http()
        .get('/admin/organizations/01900000-0000-7000-8000-000000000000/clients')
        .auth(admin, { type: 'bearer' });

      expectProblem(response, 404, 'not_found');
    });
  });

  describe('access control', () => {
    let client: CreatedClient;
    let routes: [method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object][];
    beforeAll(async () => {
      client = await createClient(t, admin, organizationId);
      routes = [
        ['post', '/admin/organizations', { name: 'Hijack' }],
        ['get', '/admin/organizations'],
        ['get', `/admin/organizations/${organizationId}`],
        ['delete', `/admin/organizations/${organizationId}`],
        ['post', `/admin/organizations/${organizationId}/clients`, { client_name: 'Hijack', scope: 'org:read' }],
        ['get', `/admin/organizations/${organizationId}/clients`],
        ['get', `/admin/clients/${client.client_id}`],
        ['patch', `/admin/clients/${client.client_id}`, { status: 'disabled' }],
        ['delete', `/admin/clients/${client.client_id}`],
        ['post', `/admin/clients/${client.client_id}/secrets`, { grace_period_seconds: 0 }],
      ];
    });

    it('refuses every admin route to a token without the admin scope, with 403 insufficient_scope', async () => {
      const token = await nonAdminToken(t);

      for (const [method, path, body] of routes) {
        const response = await t.http()[method](path).auth(token, { type: 'bearer' }).send(body);
        const problem = expectProblem(response, 403, 'insufficient_scope');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync", error="insufficient_scope", scope="admin"');
        expect(problem).toMatchObject({ required_scope: 'admin', instance: path });
      }
      // Nothing the refused requests asked for happened.
      await t.http().get(`/admin/organizations/${organizationId}`).auth(admin, { type: 'bearer' }).expect(200);
      const after = await t.http().get(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });
      expect(after.body).toMatchObject({ status: 'active' });
      await obtainToken(t, client.client_id, client.client_secret);
    });

    it('refuses the admin scope to an ordinary client at the token endpoint too', async () => {
      const { client_id, client_secret } = await createClient(t, admin, organizationId);

      const response = await t
        .http()
        .post('/oauth/token')
        .auth(client_id, client_secret)
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'admin' });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_scope' });
    });

    it('refuses every admin route without a token, with a bare Bearer challenge', async () => {
      for (const [method, path, body] of routes) {
        const response = await t.http()[method](path).send(body);
        expectProblem(response, 401, 'unauthorized');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync"');
      }
    });

    it('treats Basic credentials on an admin route as no bearer token', async () => {
      const response = await t.http().get('/admin/organizations').auth(client.client_id, client.client_secret);

      expectProblem(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync"');
    });

    it('refuses a forged token with 401 invalid_token', async () => {
      const [header, payload] = admin.split('.');
      const response = await t.http().get('/admin/organizations').auth(`${header}.${payload}.AAAA`, { type: 'bearer' });

      expectProblem(response, 401, 'invalid_token');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="orgsync", error="invalid_token"/);
    });
  });

  describe('malformed requests', () => {
    const routesWithBodies = (): [method: 'post' | 'patch', path: string][] => [
      ['post', '/admin/organizations'],
      ['post', `/admin/organizations/${organizationId}/clients`],
    ];

    it('answers malformed JSON with a 400 problem', async () => {
      for (const [method, path] of routesWithBodies()) {
        const response = await t.http()[method](path).auth(admin, { type: 'bearer' }).type('json').send('{"name": "Acme",');
        const problem = expectProblem(response, 400, 'malformed_body');
        expect(problem.detail).toBe('The body is not valid JSON.');
      }
    });

    it('answers a text/plain body with a 415 problem', async () => {
      for (const [method, path] of routesWithBodies()) {
        const response = await t.http()[method](path).auth(admin, { type: 'bearer' }).type('text/plain').send('name=Acme');
        expectProblem(response, 415, 'unsupported_media_type');
      }
    });

    it('answers a form-encoded body with a 400 validation problem, never a server error', async () => {
      const response = await t.http().post('/admin/organizations').auth(admin, { type: 'bearer' }).type('form').send({ name: 'Acme' });

      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expectNoInternals(response);
    });

    it('answers a 2 MiB JSON body with a 413 problem', async () => {
      const body = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
      const response = await t.http().post('/admin/organizations').auth(admin, { type: 'bearer' }).type('json').send(body);

      const problem = expectProblem(response, 413, 'payload_too_large');
      expect(problem.detail).toBe('The request body is too large.');
    });

    it('answers an unknown admin route with a 404 problem', async () => {
      const response = await t.http().get('/admin/nothing-here').auth(admin, { type: 'bearer' });

      expectProblem(response, 404, 'route_not_found');
    });

    it('answers JSON null and a JSON string with validation problems', async () => {
      for (const body of ['null', '"Acme"', '42']) {
        const response = await t.http().post('/admin/organizations').auth(admin, { type: 'bearer' }).type('json').send(body);
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expectNoInternals(response);
      }
    });

    it('refuses prototype-poisoning JSON', async () => {
      const response = await t
        .http()
        .post('/admin/organizations')
        .auth(admin, { type: 'bearer' })
        .type('json')
        .send('{"name":"Acme","__proto__":{"platform":true}}');

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expectNoInternals(response);
    });
  });
});

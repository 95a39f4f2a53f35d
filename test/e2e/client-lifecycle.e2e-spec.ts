import {
  createClient,
  type CreatedClient,
  expectProblem,
  obtainToken,
  organizationWithClient,
  requestToken,
  requestTokenWithPost,
} from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface TokenClaims {
  iat: number;
  exp: number;
  scope: string;
}

function claimsOf(token: string): TokenClaims {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims;
}

describe('a client, from creation to deletion', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, organizationId } = await organizationWithClient(t));
  });
  afterAll(() => t.close());

  const newClient = (metadata: Record<string, unknown> = {}) => createClient(t, admin, organizationId, metadata);
  const patch = (client: CreatedClient, body: object) =>
    t.http().patch(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' }).send(body);
  const rotate = (client: CreatedClient, body?: object) =>
    t.http().post(`/admin/clients/${client.client_id}/secrets`).auth(admin, { type: 'bearer' }).send(body);
  const readOrganization = (token: string) => t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });

  const expectInvalidClient = async (response: Promise<{ status: number; body: unknown; headers: Record<string, string> }>) => {
    const { status, body, headers } = await response;
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client' });
    expect(body).not.toHaveProperty('access_token');
    expect(headers['cache-control']).toBe('no-store');
  };

  const expectTokenRefused = async (token: string) => {
    const response = await readOrganization(token);
    expectProblem(response, 401, 'invalid_token');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="orgsync", error="invalid_token"/);
  };

  describe('changing metadata', () => {
    it('renames a client without touching its credentials', async () => {
      const client = await newClient({ client_name: 'Old name' });

      const response = await patch(client, { client_name: 'New name' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ client_id: client.client_id, client_name: 'New name', scope: client.scope, status: 'active' });
      expect(response.body).not.toHaveProperty('client_secret');
      const body = response.body as { created_at: string; updated_at: string };
      expect(Date.parse(body.updated_at)).toBeGreaterThanOrEqual(Date.parse(body.created_at));
      const read = await t.http().get(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });
      expect(read.body).toEqual(response.body);
      await obtainToken(t, client.client_id, client.client_secret);
    });

    it('leaves everything as it was for an empty patch', async () => {
      const client = await newClient({ access_token_ttl: 300 });

      const response = await patch(client, {});

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        client_name: 'Partner integration',
        scope: 'org:read members:read',
        default_scope: 'org:read members:read',
        token_endpoint_auth_method: 'client_secret_basic',
        access_token_ttl: 300,
        status: 'active',
      });
    });

    it('narrows the scopes a client may request, and its defaults with them', async () => {
      const client = await newClient({ scope: 'org:read members:read groups:read' });

      const response = await patch(client, { scope: 'org:read groups:read' });

      expect(response.body).toMatchObject({ scope: 'org:read groups:read', default_scope: 'org:read groups:read' });
      const removed = await requestToken(t, client.client_id, client.client_secret, 'members:read');
      expect(removed.status).toBe(400);
      expect(removed.body).toMatchObject({ error: 'invalid_scope' });
      const mixed = await requestToken(t, client.client_id, client.client_secret, 'org:read members:read');
      expect(mixed.body).toMatchObject({ error: 'invalid_scope' });
      const kept = await requestToken(t, client.client_id, client.client_secret);
      expect(kept.status).toBe(200);
      expect(kept.body).toMatchObject({ scope: 'org:read groups:read' });
    });

    it('widens scopes within the catalogue and sets new defaults', async () => {
      const client = await newClient({ scope: 'org:read' });

      const response = await patch(client, { scope: 'org:read members:read members:write', default_scope: 'members:read' });

      expect(response.body).toMatchObject({ scope: 'org:read members:read members:write', default_scope: 'members:read' });
      const token = await requestToken(t, client.client_id, client.client_secret);
      expect(token.body).toMatchObject({ scope: 'members:read' });
    });

    it.each([
      ['an unknown scope', { scope: 'org:read everything' }, 'scope'],
      ['the admin scope on an ordinary organization', { scope: 'org:read admin' }, 'scope'],
      ['a default_scope outside scope', { default_scope: 'sync:read' }, 'default_scope'],
      ['an empty client_name', { client_name: '' }, 'client_name'],
      ['a client_name with control characters', { client_name: 'tab\there' }, 'client_name'],
      ['a client_name over 200 characters', { client_name: 'c'.repeat(201) }, 'client_name'],
      ['an unknown status', { status: 'deleted' }, 'status'],
      ['an unsupported token_endpoint_auth_method', { token_endpoint_auth_method: 'tls_client_auth' }, 'token_endpoint_auth_method'],
      ['an access_token_ttl below 30 seconds', { access_token_ttl: 29 }, 'access_token_ttl'],
      ['an access_token_ttl above a day', { access_token_ttl: 86_401 }, 'access_token_ttl'],
      ['an access_token_ttl given as a string', { access_token_ttl: '120' }, 'access_token_ttl'],
      ['a new client_id', { client_id: 'renamed' }, 'client_id'],
      ['a client_secret', { client_secret: 'chosen' }, 'client_secret'],
      ['an unknown field', { organization_id: '01900000-0000-7000-8000-000000000000' }, 'organization_id'],
      ['a null client_name', { client_name: null }, 'client_name'],
      ['a null status', { status: null }, 'status'],
      ['a null token_endpoint_auth_method', { token_endpoint_auth_method: null }, 'token_endpoint_auth_method'],
      ['a null scope', { scope: null }, 'scope'],
      ['a null default_scope', { default_scope: null }, 'default_scope'],
    ])('refuses %s and changes nothing', async (_case, body, field) => {
      const client = await newClient();

      const response = await patch(client, { client_name: 'Would be renamed', ...body });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.field)).toContain(field);
      expect(problem.errors?.every((error) => error.field === field)).toBe(true);
      const read = await t.http().get(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });
      expect(read.body).toMatchObject({ client_name: 'Partner integration', scope: client.scope, status: 'active' });
    });

    it('answers 404 when patching a client that does not exist', async () => {
      const response = await t.http().patch('/admin/clients/orgsync_ci_missing').auth(admin, { type: 'bearer' }).send({ client_name: 'x' });

      expectProblem(response, 404, 'not_found');
    });
  });

  describe('disabling and enabling', () => {
    it('refuses new tokens and existing ones at once while disabled, and works again once enabled', async () => {
      const client = await newClient();
      const token = await obtainToken(t, client.client_id, client.client_secret, 'org:read');
      expect((await readOrganization(token)).status).toBe(200);

      const disabled = await patch(client, { status: 'disabled' });

      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ status: 'disabled' });
      await expectInvalidClient(requestToken(t, client.client_id, client.client_secret));
      await expectTokenRefused(token);

      const enabled = await patch(client, { status: 'active' });

      expect(enabled.body).toMatchObject({ status: 'active' });
      const fresh = await obtainToken(t, client.client_id, client.client_secret, 'org:read');
      const response = await readOrganization(fresh);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: organizationId });
    });

    it('keeps a disabled client readable and listed, marked disabled', async () => {
      const client = await newClient();
      await patch(client, { status: 'disabled' }).expect(200);

      const read = await t.http().get(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });
      const listed = await t.http().get(`/admin/organizations/${organizationId}/clients?limit=200`).auth(admin, { type: 'bearer' });

      expect(read.body).toMatchObject({ status: 'disabled' });
      expect((listed.body as { data: { client_id: string; status: string }[] }).data).toContainEqual(
        expect.objectContaining({ client_id: client.client_id, status: 'disabled' }),
      );
    });
  });

  describe('access token lifetime', () => {
    it('uses the server default when the client has no override', async () => {
      const client = await newClient();

      const response = await requestToken(t, client.client_id, client.client_secret);

      expect(response.body).toMatchObject({ expires_in: t.config.oauth.accessTokenTtl });
      const claims = claimsOf((response.body as { access_token: string }).access_token);
      expect(claims.exp - claims.iat).toBe(t.config.oauth.accessTokenTtl);
    });

    it("issues tokens that live as long as the client's override, set at creation or later", async () => {
      const client = await newClient({ access_token_ttl: 45 });
      const atCreation = await requestToken(t, client.client_id, client.client_secret);
      expect(atCreation.body).toMatchObject({ expires_in: 45 });

      const patched = await patch(client, { access_token_ttl: 7200 });

      expect(patched.body).toMatchObject({ access_token_ttl: 7200 });
      const response = await requestToken(t, client.client_id, client.client_secret);
      expect(response.body).toMatchObject({ expires_in: 7200 });
      const claims = claimsOf((response.body as { access_token: string }).access_token);
      expect(claims.exp - claims.iat).toBe(7200);
    });

    it('returns to the server default when the override is set to null', async () => {
      const client = await newClient({ access_token_ttl: 45 });

      const patched = await patch(client, { access_token_ttl: null });

      expect(patched.body).toMatchObject({ access_token_ttl: null });
      const response = await requestToken(t, client.client_id, client.client_secret);
      expect(response.body).toMatchObject({ expires_in: t.config.oauth.accessTokenTtl });
    });
  });

  describe('token endpoint authentication method', () => {
    it('accepts only client_secret_post once switched to it, and only Basic once switched back', async () => {
      const client = await newClient();
      await expectInvalidClient(requestTokenWithPost(t, client.client_id, client.client_secret));

      const switched = await patch(client, { token_endpoint_auth_method: 'client_secret_post' });

      expect(switched.body).toMatchObject({ token_endpoint_auth_method: 'client_secret_post' });
      await expectInvalidClient(requestToken(t, client.client_id, client.client_secret));
      const posted = await requestTokenWithPost(t, client.client_id, client.client_secret);
      expect(posted.status).toBe(200);
      expect(posted.body).toMatchObject({ token_type: 'Bearer' });

      await patch(client, { token_endpoint_auth_method: 'client_secret_basic' }).expect(200);

      await expectInvalidClient(requestTokenWithPost(t, client.client_id, client.client_secret));
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);
    });
  });

  describe('deleting', () => {
    it('makes the client unknown to the admin API and ends its secret and tokens', async () => {
      const client = await newClient();
      const token = await obtainToken(t, client.client_id, client.client_secret, 'org:read');

      const deleted = await t.http().delete(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });

      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      const path = `/admin/clients/${client.client_id}`;
      expectProblem(await t.http().get(path).auth(admin, { type: 'bearer' }), 404, 'not_found');
      expectProblem(await t.http().patch(path).auth(admin, { type: 'bearer' }).send({ client_name: 'Zombie' }), 404, 'not_found');
      expectProblem(await t.http().delete(path).auth(admin, { type: 'bearer' }), 404, 'not_found');
      expectProblem(await rotate(client, { grace_period_seconds: 60 }), 404, 'not_found');
      const listed = await t.http().get(`/admin/organizations/${organizationId}/clients?limit=200`).auth(admin, { type: 'bearer' });
      expect(listed.text).not.toContain(client.client_id);
      await expectInvalidClient(requestToken(t, client.client_id, client.client_secret));
      await expectTokenRefused(token);
    });
  });

  describe('rotating the secret', () => {
    it('issues a new secret once, and keeps the old one working for the grace period', async () => {
      const client = await newClient();
      const before = Date.now();

      const response = await rotate(client, { grace_period_seconds: 3_600 });

      expect(response.status).toBe(201);
      // The secret's own view (test/e2e/client-secrets.e2e-spec.ts) plus the secret, shown this once.
      expect(response.body).toHaveProperty('id');
      expect(response.body).toHaveProperty('hint');
      const rotated = response.body as { client_id: string; client_secret: string; previous_secrets_expire_at: string };
      expect(rotated).toMatchObject({ client_id: client.client_id, client_secret_expires_at: 0 });
      expect(rotated.client_secret).toMatch(/^orgsync_cs_[A-Za-z0-9_-]{43}$/);
      expect(rotated.client_secret).not.toBe(client.client_secret);
      const graceEnds = Date.parse(rotated.previous_secrets_expire_at);
      expect(graceEnds).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
      expect(graceEnds).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1000);
      expect((await requestToken(t, client.client_id, rotated.client_secret)).status).toBe(200);
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);
      const read = await t.http().get(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });
      expect(read.text).not.toContain(rotated.client_secret);
      expect(read.text).not.toContain(client.client_secret);
    });

    it('adds a secret beside the current one, which keeps working, when the request has no body at all', async () => {
      const client = await newClient();

      const response = await t.http().post(`/admin/clients/${client.client_id}/secrets`).auth(admin, { type: 'bearer' });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ previous_secrets_expire_at: null, client_secret_expires_at: 0 });
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);
      expect((await requestToken(t, client.client_id, (response.body as { client_secret: string }).client_secret)).status).toBe(200);
    });

    it('ends the old secret at once with a grace period of 0', async () => {
      const client = await newClient();
      const token = await obtainToken(t, client.client_id, client.client_secret, 'org:read');

      const response = await rotate(client, { grace_period_seconds: 0 });

      expect(response.status).toBe(201);
      const rotated = response.body as { client_secret: string };
      await expectInvalidClient(requestToken(t, client.client_id, client.client_secret));
      expect((await requestToken(t, client.client_id, rotated.client_secret)).status).toBe(200);
      // A rotated secret does not revoke tokens already issued; disabling the client does.
      expect((await readOrganization(token)).status).toBe(200);
    });

    it('ends the old secret when a short grace period runs out', async () => {
      const client = await newClient();
      const rotated = (await rotate(client, { grace_period_seconds: 1 })).body as { client_secret: string };
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);

      await new Promise((resolve) => setTimeout(resolve, 1_200));

      await expectInvalidClient(requestToken(t, client.client_id, client.client_secret));
      expect((await requestToken(t, client.client_id, rotated.client_secret)).status).toBe(200);
    });

    it('never extends an earlier grace period, and a grace of 0 ends every previous secret', async () => {
      const client = await newClient();
      const second = (await rotate(client, { grace_period_seconds: 600 })).body as { client_secret: string };
      const third = (await rotate(client, { grace_period_seconds: 3_600 })).body as { client_secret: string };
      for (const secret of [client.client_secret, second.client_secret, third.client_secret]) {
        expect((await requestToken(t, client.client_id, secret)).status).toBe(200);
      }

      const fourth = (await rotate(client, { grace_period_seconds: 0 })).body as { client_secret: string };

      for (const secret of [client.client_secret, second.client_secret, third.client_secret]) {
        await expectInvalidClient(requestToken(t, client.client_id, secret));
      }
      expect((await requestToken(t, client.client_id, fourth.client_secret)).status).toBe(200);
    });

    it('lets the new secret authenticate with client_secret_post when that is the method', async () => {
      const client = await newClient({ token_endpoint_auth_method: 'client_secret_post' });

      const rotated = (await rotate(client, { grace_period_seconds: 0 })).body as { client_secret: string };

      expect((await requestTokenWithPost(t, client.client_id, rotated.client_secret)).status).toBe(200);
      await expectInvalidClient(requestTokenWithPost(t, client.client_id, client.client_secret));
    });

    it.each([
      [-1, 'grace_period_seconds must not be negative'],
      [2_592_001, 'grace_period_seconds must be at most 2592000 (30 days)'],
      [1.5, 'grace_period_seconds must be a whole number of seconds'],
      ['60', 'grace_period_seconds must be a whole number of seconds'],
      [null, 'grace_period_seconds must be a whole number of seconds'],
    ])('refuses a grace period of %j and keeps the current secret', async (grace, message) => {
      const client = await newClient();

      const response = await rotate(client, { grace_period_seconds: grace });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toContainEqual({ field: 'grace_period_seconds', message });
      expect(problem.errors?.every((error) => error.field === 'grace_period_seconds')).toBe(true);
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);
    });

    it('accepts the longest grace period, 30 days', async () => {
      const client = await newClient();

      const response = await rotate(client, { grace_period_seconds: 2_592_000 });

      expect(response.status).toBe(201);
      const graceEnds = Date.parse((response.body as { previous_secrets_expire_at: string }).previous_secrets_expire_at);
      expect(Math.abs(graceEnds - Date.now() - 2_592_000_000)).toBeLessThan(5000);
    });

    it('refuses an unknown field in a rotation request', async () => {
      const client = await newClient();

      const response = await rotate(client, { client_secret: 'my-own-choice' });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toEqual([{ field: 'client_secret', message: 'client_secret is not a known field' }]);
    });
  });

  describe('client IDs the server never issued', () => {
    it('answers invalid_client, never a server error, for a client ID with a NUL byte', async () => {
      await expectInvalidClient(requestToken(t, 'orgsync_ci_\u0000', 'orgsync_cs_whatever'));
      await expectInvalidClient(requestTokenWithPost(t, '\u0000', 'orgsync_cs_whatever'));
    });
  });
});

import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { AuditLog, type AuditEventInput } from '../../src/audit/audit-log.js';
import { SecretUsageRecorder } from '../../src/clients/secrets/secret-usage.recorder.js';
import {
  createClient,
  type CreatedClient,
  expectProblem,
  obtainToken,
  organizationWithClient,
  requestToken,
} from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface SecretView {
  id: string;
  client_id: string;
  hint: string;
  status: 'active' | 'expired' | 'revoked';
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}
interface CreatedSecret extends SecretView {
  client_secret: string;
  client_secret_expires_at: number;
  previous_secrets_expire_at: string | null;
}

const SECRET_VIEW_FIELDS = ['client_id', 'created_at', 'expires_at', 'hint', 'id', 'last_used_at', 'revoked_at', 'status'];
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('client secrets: several live at once, added, expired and revoked without downtime', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  let audited: AuditEventInput[];
  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, organizationId } = await organizationWithClient(t));
  });
  afterAll(() => t.close());
  beforeEach(() => {
    audited = [];
    jest.spyOn(t.app.get(AuditLog), 'record').mockImplementation((event) => {
      if (event.action.startsWith('client_secret.')) audited.push(event);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const newClient = (metadata: Record<string, unknown> = {}) => createClient(t, admin, organizationId, metadata);
  const path = (client: CreatedClient | string, rest = '') =>
    `/admin/clients/${typeof client === 'string' ? client : client.client_id}/secrets${rest}`;
  const list = async (client: CreatedClient) => {
    const response = await t.http().get(path(client)).auth(admin, { type: 'bearer' });
    expect(response.status).toBe(200);
    return (response.body as { data: SecretView[] }).data;
  };
  const add = (client: CreatedClient, body?: object) => t.http().post(path(client)).auth(admin, { type: 'bearer' }).send(body);
  const added = async (client: CreatedClient, body?: object) => {
    const response = await add(client, body);
    expect(response.status).toBe(201);
    return response.body as CreatedSecret;
  };
  const expire = (client: CreatedClient, secretId: string, body: object | undefined, query = '') =>
    t
      .http()
      .post(path(client, `/${secretId}/expire${query}`))
      .auth(admin, { type: 'bearer' })
      .send(body);
  const revoke = (client: CreatedClient, secretId: string, query = '') =>
    t
      .http()
      .delete(path(client, `/${secretId}${query}`))
      .auth(admin, { type: 'bearer' });
  const onlySecretOf = async (client: CreatedClient) => (await list(client))[0]!;

  /** A refused secret gets exactly the answer a wrong one gets (RFC 6749 section 5.2): nothing tells them apart. */
  const expectRefusedLikeAWrongSecret = async (client: CreatedClient, secret: string) => {
    const refused = await requestToken(t, client.client_id, secret);
    const wrong = await requestToken(t, client.client_id, `orgsync_cs_${'w'.repeat(43)}`);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);
    expect(refused.body).toMatchObject({ error: 'invalid_client' });
    expect(refused.headers['www-authenticate']).toBe(wrong.headers['www-authenticate']);
  };

  describe('listing', () => {
    it("lists a new client's one secret with its hint and dates, never the secret or a hash", async () => {
      const client = await newClient();

      const response = await t.http().get(path(client)).auth(admin, { type: 'bearer' });

      expect(response.status).toBe(200);
      const [secret, ...others] = (response.body as { data: SecretView[] }).data;
      expect(others).toEqual([]);
      expect(Object.keys(secret!).sort()).toEqual(SECRET_VIEW_FIELDS);
      expect(secret).toMatchObject({
        id: expect.stringMatching(UUID_V7),
        client_id: client.client_id,
        hint: client.client_secret.slice(-4),
        status: 'active',
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      });
      expect(response.text).not.toContain(client.client_secret.slice(11, 30));
      expect(response.text).not.toMatch(/hash/i);
    });

    it('answers 404 for a client that does not exist', async () => {
      expectProblem(await t.http().get(path('orgsync_ci_nobody')).auth(admin, { type: 'bearer' }), 404, 'not_found');
    });
  });

  describe('adding', () => {
    it('adds a second live secret, shown once; both work, and the first is left as it was', async () => {
      const client = await newClient();

      const response = await add(client);

      expect(response.status).toBe(201);
      const secret = response.body as CreatedSecret;
      expect(Object.keys(secret).sort()).toEqual(
        [...SECRET_VIEW_FIELDS, 'client_secret', 'client_secret_expires_at', 'previous_secrets_expire_at'].sort(),
      );
      expect(secret).toMatchObject({
        id: expect.stringMatching(UUID_V7),
        client_id: client.client_id,
        status: 'active',
        expires_at: null,
        client_secret_expires_at: 0,
        previous_secrets_expire_at: null,
      });
      expect(secret.client_secret).toMatch(/^orgsync_cs_[A-Za-z0-9_-]{43}$/);
      expect(secret.hint).toBe(secret.client_secret.slice(-4));
      expect((await requestToken(t, client.client_id, secret.client_secret)).status).toBe(200);
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);
      const listed = await list(client);
      expect(listed.map((s) => [s.id, s.status, s.expires_at])).toEqual([
        [secret.id, 'active', null],
        [expect.any(String), 'active', null],
      ]);
      expect(JSON.stringify(listed)).not.toContain(secret.client_secret);
      expect(audited).toEqual([
        expect.objectContaining({
          action: 'client_secret.created',
          organizationId,
          targetType: 'client_secret',
          targetId: secret.id,
          details: { client_id: client.client_id, hint: secret.hint, expires_at: null },
        }),
      ]);
      expect(JSON.stringify(audited)).not.toContain(secret.client_secret);
    });

    it('gives a secret its own lifetime, reported as RFC 7591 client_secret_expires_at', async () => {
      const client = await newClient();
      const before = Date.now();

      const secret = await added(client, { expires_in: 86_400 });

      const expiresAt = Date.parse(secret.expires_at!);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 86_400_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 86_400_000);
      expect(secret.client_secret_expires_at).toBe(Math.floor(expiresAt / 1000));
      expect((await requestToken(t, client.client_id, secret.client_secret)).status).toBe(200);
    });

    it('rotates in one call with grace_period_seconds: both secrets work during the grace period', async () => {
      const client = await newClient();
      const first = await onlySecretOf(client);

      const secret = await added(client, { grace_period_seconds: 3_600 });

      const graceEnds = Date.parse(secret.previous_secrets_expire_at!);
      expect(Math.abs(graceEnds - Date.now() - 3_600_000)).toBeLessThan(5_000);
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);
      expect((await requestToken(t, client.client_id, secret.client_secret)).status).toBe(200);
      const old = (await list(client)).find((s) => s.id === first.id);
      expect(old).toMatchObject({ status: 'active', expires_at: secret.previous_secrets_expire_at });
      expect(audited.map((e) => [e.action, e.targetId])).toEqual([
        ['client_secret.created', secret.id],
        ['client_secret.expiry_set', first.id],
      ]);
    });

    it('ends the other secrets at once with a grace period of 0', async () => {
      const client = await newClient();

      const secret = await added(client, { grace_period_seconds: 0 });

      await expectRefusedLikeAWrongSecret(client, client.client_secret);
      expect((await requestToken(t, client.client_id, secret.client_secret)).status).toBe(200);
      expect((await list(client)).map((s) => s.status)).toEqual(['active', 'expired']);
    });

    it.each([
      [{ expires_in: 0 }, 'expires_in', 'expires_in must be at least 1'],
      [{ expires_in: 63_072_001 }, 'expires_in', 'expires_in must be at most 63072000 (2 years)'],
      [{ expires_in: null }, 'expires_in', 'expires_in must be a whole number of seconds'],
      [{ expires_in: '60' }, 'expires_in', 'expires_in must be a whole number of seconds'],
      [{ grace_period_seconds: -1 }, 'grace_period_seconds', 'grace_period_seconds must not be negative'],
      [{ grace_period_seconds: 1.5 }, 'grace_period_seconds', 'grace_period_seconds must be a whole number of seconds'],
      [{ grace_period_seconds: null }, 'grace_period_seconds', 'grace_period_seconds must be a whole number of seconds'],
      [{ client_secret: 'my-own-choice' }, 'client_secret', 'client_secret is not a known field'],
    ])('refuses %j with a validation problem and adds nothing', async (body, field, message) => {
      const client = await newClient();

      const problem = expectProblem(await add(client, body), 400, 'validation_failed');

      expect(problem.errors).toContainEqual({ field, message });
      expect(await list(client)).toHaveLength(1);
      expect(audited).toEqual([]);
    });
  });

  describe('expiring', () => {
    it('sets a secret to expire after a grace period, then ends it with a grace period of 0', async () => {
      const client = await newClient();
      const first = await onlySecretOf(client);
      const second = await added(client);

      const later = await expire(client, first.id, { grace_period_seconds: 600 });

      expect(later.status).toBe(200);
      expect(Object.keys(later.body as object).sort()).toEqual(SECRET_VIEW_FIELDS);
      expect(Math.abs(Date.parse((later.body as SecretView).expires_at!) - Date.now() - 600_000)).toBeLessThan(5_000);
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);

      const now = await expire(client, first.id, { grace_period_seconds: 0 });

      expect(now.status).toBe(200);
      expect(now.body).toMatchObject({ id: first.id, status: 'expired' });
      await expectRefusedLikeAWrongSecret(client, client.client_secret);
      expect((await requestToken(t, client.client_id, second.client_secret)).status).toBe(200);
      expect(audited.filter((e) => e.action === 'client_secret.expiry_set').map((e) => e.targetId)).toEqual([first.id, first.id]);
    });

    it('never brings an ended secret back', async () => {
      const client = await newClient();
      const first = await onlySecretOf(client);
      await added(client, { grace_period_seconds: 0 });

      const problem = expectProblem(await expire(client, first.id, { grace_period_seconds: 3_600 }), 409, 'conflict');

      expect(problem.detail).toContain('already expired');
      await expectRefusedLikeAWrongSecret(client, client.client_secret);
    });

    it.each([
      [undefined, 'grace_period_seconds must be a whole number of seconds'],
      [{ grace_period_seconds: 2_592_001 }, 'grace_period_seconds must be at most 2592000 (30 days)'],
    ])('refuses an expiry request of %j', async (body, message) => {
      const client = await newClient();
      const secret = await onlySecretOf(client);

      const problem = expectProblem(await expire(client, secret.id, body), 400, 'validation_failed');

      expect(problem.errors).toContainEqual({ field: 'grace_period_seconds', message });
    });
  });

  describe('revoking', () => {
    it('refuses a revoked secret at once, exactly like a wrong one, and keeps it listed as revoked', async () => {
      const client = await newClient();
      const first = await onlySecretOf(client);
      const second = await added(client);
      // The directory has the client cached with both secrets: revocation must not wait for it to expire.
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);

      audited.length = 0;

      const response = await revoke(client, first.id);

      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      await expectRefusedLikeAWrongSecret(client, client.client_secret);
      expect((await requestToken(t, client.client_id, second.client_secret)).status).toBe(200);
      const revoked = (await list(client)).find((s) => s.id === first.id);
      expect(revoked).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) });
      expect(audited).toEqual([
        expect.objectContaining({
          action: 'client_secret.revoked',
          organizationId,
          targetType: 'client_secret',
          targetId: first.id,
          details: { client_id: client.client_id, hint: first.hint, expires_at: null },
        }),
      ]);
      expect((await revoke(client, first.id)).status).toBe(204);
      expect(audited).toHaveLength(1);
    });

    it("refuses to end a client's last live secret unless forced, since that locks the client out", async () => {
      const client = await newClient();
      const secret = await onlySecretOf(client);

      expect(expectProblem(await revoke(client, secret.id), 409, 'conflict').detail).toContain('last live secret');
      expect(expectProblem(await expire(client, secret.id, { grace_period_seconds: 60 }), 409, 'conflict').detail).toContain('force=true');
      expect((await requestToken(t, client.client_id, client.client_secret)).status).toBe(200);
      expectProblem(await revoke(client, secret.id, '?force=maybe'), 400, 'validation_failed');

      expect((await revoke(client, secret.id, '?force=true')).status).toBe(204);

      await expectRefusedLikeAWrongSecret(client, client.client_secret);
    });
  });

  describe('secrets of other clients and unknown secrets', () => {
    it('answers 404 for a secret of another client, an unknown secret and a malformed ID (400 for a NUL), and changes nothing', async () => {
      const client = await newClient();
      const other = await newClient();
      const othersSecret = await onlySecretOf(other);

      for (const secretId of [othersSecret.id, '01890000-0000-7000-8000-000000000000', 'not-a-uuid']) {
        expectProblem(await revoke(client, secretId, '?force=true'), 404, 'not_found');
        expectProblem(await expire(client, secretId, { grace_period_seconds: 0 }, '?force=true'), 404, 'not_found');
      }
      expectProblem(await revoke(client, '%00', '?force=true'), 400, 'bad_url');
      expectProblem(await expire(client, '%00', { grace_period_seconds: 0 }, '?force=true'), 400, 'bad_url');
      expect((await requestToken(t, other.client_id, other.client_secret)).status).toBe(200);
      expect(audited).toEqual([]);
    });

    it('answers 404 for the secrets of a deleted client', async () => {
      const client = await newClient();
      const secret = await onlySecretOf(client);
      await t.http().delete(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });

      expectProblem(await t.http().get(path(client)).auth(admin, { type: 'bearer' }), 404, 'not_found');
      expectProblem(await add(client), 404, 'not_found');
      expectProblem(await revoke(client, secret.id, '?force=true'), 404, 'not_found');
    });

    it('requires the admin scope', async () => {
      const client = await newClient();
      const partner = await obtainToken(t, client.client_id, client.client_secret, 'org:read');

      const response = await t.http().get(path(client)).auth(partner, { type: 'bearer' });

      expectProblem(response, 403, 'insufficient_scope');
    });
  });

  describe('last use', () => {
    it('records when a secret last obtained a token, in a batch flushed later', async () => {
      const client = await newClient();
      const first = await onlySecretOf(client);
      const second = await added(client);
      const before = Date.now();

      await obtainToken(t, client.client_id, second.client_secret);
      expect((await list(client)).find((s) => s.id === second.id)?.last_used_at).toBeNull();
      await t.app.get(SecretUsageRecorder).flush();

      const listed = await list(client);
      const used = Date.parse(listed.find((s) => s.id === second.id)!.last_used_at!);
      expect(used).toBeGreaterThanOrEqual(before - 1_000);
      expect(used).toBeLessThanOrEqual(Date.now());
      expect(listed.find((s) => s.id === first.id)?.last_used_at).toBeNull();

      // Used again within the granularity (a minute): the stored time stands, no second write.
      await obtainToken(t, client.client_id, second.client_secret);
      await t.app.get(SecretUsageRecorder).flush();
      expect((await list(client)).find((s) => s.id === second.id)?.last_used_at).toBe(new Date(used).toISOString());
    });
  });
});

/**
 * Revocation on one replica reaches the others through the database: their
 * client directory holds a client for CLIENT_STATE_TTL_MS (1 s) at most.
 */
describe('client secrets across replicas', () => {
  // One database, one key, one issuer, as replicas behind one URL have.
  const env = { SECRETS_KEY: randomBytes(32).toString('hex'), ISSUER: 'https://orgsync.test' };
  let t: TestApp;
  let replica: TestApp;
  beforeAll(async () => {
    t = await startTestApp(env);
    replica = await startTestApp(env, t.database);
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  it('a secret revoked on one replica is refused by the other within a second', async () => {
    const { admin, client } = await organizationWithClient(t);
    const [first] = (
      (await t.http().get(`/admin/clients/${client.client_id}/secrets`).auth(admin, { type: 'bearer' })).body as {
        data: SecretView[];
      }
    ).data;
    await t.http().post(`/admin/clients/${client.client_id}/secrets`).auth(admin, { type: 'bearer' }).send({});
    expect((await requestToken(replica, client.client_id, client.client_secret)).status).toBe(200);

    const revoked = await t.http().delete(`/admin/clients/${client.client_id}/secrets/${first!.id}`).auth(admin, { type: 'bearer' });

    expect(revoked.status).toBe(204);
    const deadline = Date.now() + 3_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await requestToken(replica, client.client_id, client.client_secret)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(401);
  });
});

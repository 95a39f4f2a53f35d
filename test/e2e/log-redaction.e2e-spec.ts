import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as jose from 'jose';
import type { Response } from 'supertest';
import { startScimUpstream, type ScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { SyncScheduler } from '../../src/sync/engine/sync.scheduler.js';
import { clientKey, JWT_BEARER, jwksOf, signAssertion } from '../support/client-keys.js';
import {
  adminToken,
  basicAuthorization,
  createClient,
  createOrganization,
  obtainToken,
  requestToken,
  requestTokenWithPost,
} from '../support/factories.js';
import { introspect, revoke } from '../support/token-requests.js';
import { ADMIN_CLIENT_SECRET, LogCapture, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The proof that logs keep secrets: a full run of the server at the
 * most verbose level, every credential and token it sees or hands out
 * collected on the way, then none of them found in any line it logged.
 */
describe('log redaction across a full run', () => {
  let t: TestApp;
  let upstream: ScimUpstream;
  const logs = new LogCapture();
  /** Every secret, token and assertion the run used or was given. */
  const secrets = new Set<string>();
  const keep = <T extends string>(value: T): T => {
    secrets.add(value);
    return value;
  };

  beforeAll(async () => {
    t = await startTestApp(
      { LOG_LEVEL: 'trace', SYNC_POLL_INTERVAL_MS: '600000', SYNC_HTTP_TIMEOUT_MS: '2000', RATE_LIMIT_FAILURES_PER_CLIENT: '0' },
      undefined,
      { logs },
    );
    upstream = await startScimUpstream({ users: 30, groups: 3, membersPerGroup: 5 });
    keep(ADMIN_CLIENT_SECRET);
    keep(basicAuthorization('test-platform-admin', ADMIN_CLIENT_SECRET).slice('Basic '.length));
    keep(upstream.clientSecret);
    keep(Buffer.from(t.config.secretsKey!).toString('hex'));

    await runFullFlow();
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  async function runFullFlow(): Promise<void> {
    const admin = keep(await adminToken(t));
    const organization = await createOrganization(t, admin, 'Redaction Org');
    const bearer = (response: { status: number }, status: number) => expect(response.status).toBe(status);

    // A client_secret_basic client and a client_secret_post client, their secrets and tokens.
    const basicClient = await createClient(t, admin, organization.id, {
      scope: 'org:read members:read groups:read',
      introspection_allowed: true,
    });
    keep(basicClient.client_secret);
    keep(basicAuthorization(basicClient.client_id, basicClient.client_secret).slice('Basic '.length));
    const postClient = await createClient(t, admin, organization.id, { token_endpoint_auth_method: 'client_secret_post' });
    keep(postClient.client_secret);
    const basicToken = keep(await obtainToken(t, basicClient.client_id, basicClient.client_secret));
    const posted = await requestTokenWithPost(t, postClient.client_id, postClient.client_secret);
    bearer(posted, 200);
    const postToken = keep(posted.body.access_token as string);

    // Wrong secrets, by both methods, and a secret where no secret belongs.
    bearer(await requestToken(t, basicClient.client_id, keep(`orgsync_cs_${'w'.repeat(43)}`)), 401);
    bearer(await requestToken(t, basicClient.client_id, keep('plainly-wrong-secret-81f3a0c4d2')), 401);
    bearer(await requestTokenWithPost(t, postClient.client_id, keep('another-wrong-secret-5d0e6b7a19')), 401);
    bearer(
      await t
        .http()
        .post(`/oauth/token?client_secret=${keep('query-secret-2a4c6e8f0b')}`)
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: postClient.client_id }),
      400,
    );
    bearer(
      await t
        .http()
        .post('/oauth/token')
        .type('form')
        .send(
          `grant_type=client_credentials&client_id=${postClient.client_id}&client_secret=${keep('duplicated-secret-9c1b3d5f7e')}&client_secret=x`,
        ),
      400,
    );

    // private_key_jwt: a good assertion, then one for the wrong audience.
    const key = await clientKey('ES256');
    keep((await jose.exportJWK(key.privateKey)).d!);
    const jwtClient = await createClient(t, admin, organization.id, { token_endpoint_auth_method: 'private_key_jwt', jwks: jwksOf(key) });
    const assertion = keep(await signAssertion(key, jwtClient.client_id, t.baseUrl));
    const asserted = await t
      .http()
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion });
    bearer(asserted, 200);
    keep(asserted.body.access_token as string);
    const badAssertion = keep(await signAssertion(key, jwtClient.client_id, 'https://elsewhere.example'));
    bearer(
      await t
        .http()
        .post('/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: badAssertion }),
      401,
    );

    // Bearer calls: good, in the query (refused), malformed, wrong scheme.
    bearer(await t.http().get('/api/v1/organization').auth(basicToken, { type: 'bearer' }), 200);
    bearer(await t.http().get('/api/v1/members?limit=5').auth(basicToken, { type: 'bearer' }), 200);
    bearer(await t.http().get(`/api/v1/organization?access_token=${basicToken}`), 401);
    bearer(
      await t
        .http()
        .get('/api/v1/organization')
        .set('authorization', `Bearer ${keep('not.a.token-7e5c3a1f')}`),
      401,
    );
    bearer(
      await t
        .http()
        .get('/api/v1/members')
        .set('cookie', `session=${keep('cookie-value-4b6d8f0a2c')}`),
      401,
    );
    bearer(
      await t
        .http()
        .get('/api/v1/members')
        .set('proxy-authorization', `Basic ${keep('cHJveHk6c2VjcmV0LTk5')}`),
      401,
    );

    // Introspection and revocation, with both authentication methods; then the revoked token is refused.
    bearer(await introspect(t, basicClient, { token: basicToken }), 200);
    bearer(await introspect(t, basicClient, { token: postToken, token_type_hint: 'access_token' }), 200);
    const revoked = await t
      .http()
      .post('/oauth/revoke')
      .type('form')
      .send({ token: postToken, client_id: postClient.client_id, client_secret: postClient.client_secret });
    bearer(revoked, 200);
    bearer(await revoke(t, basicClient, { token: keep('unknown-token-3c5e7a9b1d') }), 200);
    bearer(await t.http().get('/api/v1/organization').auth(postToken, { type: 'bearer' }), 401);

    // A secret rotation: the new secret is shown once and works.
    const rotated = await t
      .http()
      .post(`/admin/clients/${basicClient.client_id}/secrets`)
      .auth(admin, { type: 'bearer' })
      .send({ grace_period_seconds: 0 });
    bearer(rotated, 201);
    const newSecret = keep(rotated.body.client_secret as string);
    keep(await obtainToken(t, basicClient.client_id, newSecret));
    bearer(await requestToken(t, basicClient.client_id, basicClient.client_secret), 401);

    // Bodies the server refuses, with secrets inside.
    bearer(
      await t
        .http()
        .post('/admin/organizations')
        .auth(admin, { type: 'bearer' })
        .set('content-type', 'application/json')
        .send(`{"name": "x", "client_secret": "${keep('broken-json-secret-6a8c0e2b4d')}"`),
      400,
    );
    bearer(
      await t
        .http()
        .post(`/admin/organizations/${organization.id}/sync-connections`)
        .auth(admin, { type: 'bearer' })
        .send({ name: 'Incomplete', client_secret: keep('invalid-connection-secret-1e3a5c7b9d') }),
      400,
    );

    // A sync connection, its secret, a successful run against the SCIM upstream, and a refused one.
    const created = await t.http().post(`/admin/organizations/${organization.id}/sync-connections`).auth(admin, { type: 'bearer' }).send({
      name: 'Example IdP',
      kind: 'scim',
      base_url: upstream.baseUrl,
      token_url: upstream.tokenUrl,
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      interval_seconds: 3600,
    });
    bearer(created, 201);
    const connectionId = created.body.id as string;
    bearer(
      await t
        .http()
        .patch(`/admin/sync-connections/${connectionId}`)
        .auth(admin, { type: 'bearer' })
        .send({ client_secret: upstream.clientSecret }),
      200,
    );
    expect(await runSync(admin, connectionId)).toBe('succeeded');
    upstream.faults.rejectTokenRequests();
    upstream.faults.revokeAllTokens();
    expect(await runSync(admin, connectionId)).toBe('failed');
    for (const token of upstream.stats.bearerTokens) keep(token);
  }

  async function runSync(admin: string, connectionId: string): Promise<string> {
    const queued = await t.http().post(`/admin/sync-connections/${connectionId}/runs`).auth(admin, { type: 'bearer' });
    expect(queued.status).toBe(202);
    await t.app.get(SyncScheduler).idle();
    const run: Response = await t.http().get(`/admin/sync-runs/${queued.body.id}`).auth(admin, { type: 'bearer' });
    return run.body.status as string;
  }

  it('logged the run: JSON lines, request lines among them', () => {
    const lines = logs.lines();
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.filter((line) => line.msg === 'request completed').length).toBeGreaterThan(30);
    // The failed sync run said why, so the logs did carry text from the upstream.
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', context: 'Sync' }));
  });

  it('collected the secrets it searches for', () => {
    expect(secrets.size).toBeGreaterThan(25);
    for (const secret of secrets) expect(secret.length).toBeGreaterThanOrEqual(16);
  });

  it('wrote no secret, token or assertion to any log line', () => {
    const text = logs.text();
    const found = [...secrets].filter((secret) => text.includes(secret));
    expect(found).toEqual([]);
  });

  it('wrote every request line with its request ID, method, route, path without query, status and response time', () => {
    const requestLines = logs.lines().filter((line) => line.msg === 'request completed' || line.msg === 'request failed');
    for (const line of requestLines) {
      expect(line).toEqual(
        expect.objectContaining({
          requestId: expect.any(String),
          method: expect.stringMatching(/^[A-Z]+$/),
          route: expect.anything(),
          path: expect.stringMatching(/^\/[^?]*$/),
          status: expect.any(Number),
          responseTime: expect.any(Number),
          remoteAddress: '127.0.0.1',
        }),
      );
    }
    const statuses = new Set(requestLines.map((line) => line.status));
    for (const status of [200, 201, 202, 400, 401]) expect(statuses).toContain(status);
  });
});

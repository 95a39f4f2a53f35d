import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import jwt from 'jsonwebtoken';
import * as oauth from 'oauth4webapi';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../src/audit/audit-log.js';
import { RevokedTokenEntity } from '../../src/oauth/revocation/revoked-token.entity.js';
import { RevokedTokensRepository } from '../../src/oauth/revocation/revoked-tokens.repository.js';
import { adminToken, basicAuthorization, createClient, createOrganization, type CreatedClient, obtainToken } from '../support/factories.js';
import { claimsOf, introspect, revoke, signWithServerKey } from '../support/token-requests.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** RFC 7009 section 2.2: 200 with an empty body, never cached. */
function expectRevocationAnswer(response: Response): void {
  expect(response.status).toBe(200);
  expect(response.text).toBe('');
  expect(response.headers['cache-control']).toBe('no-store');
}

function expectOAuthError(response: Response, status: number, error: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error, error_description: expect.any(String) });
}

describe('token revocation (RFC 7009)', () => {
  // Fixed, so that a second server on this database accepts this one's tokens (see the last test).
  const common = { SECRETS_KEY: randomBytes(32).toString('hex'), ISSUER: 'http://localhost' };
  let database: TestDatabase;
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  let partner: CreatedClient;
  let colleague: CreatedClient;
  let resourceServer: CreatedClient;
  let outsider: CreatedClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp(common, database);
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin, 'Revoking Org')).id;
    partner = await createClient(t, admin, organizationId);
    colleague = await createClient(t, admin, organizationId);
    resourceServer = await createClient(t, admin, organizationId, { introspection_allowed: true });
    outsider = await createClient(t, admin, (await createOrganization(t, admin, 'Outside Org')).id);
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  const tokenOf = (client: CreatedClient) => obtainToken(t, client.client_id, client.client_secret, 'org:read');
  const callApi = (token: string) => t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });
  const revokedRows = () => t.app.get(DataSource).getRepository(RevokedTokenEntity).find();
  const jtiOf = (token: string) => (jwt.decode(token) as { jti: string }).jti;

  it('revokes the caller’s own token: the organization API refuses it at once with RFC 6750 invalid_token', async () => {
    const token = await tokenOf(partner);
    expect((await callApi(token)).status).toBe(200);

    expectRevocationAnswer(await revoke(t, partner, { token }));

    const refused = await callApi(token);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer realm="orgsync", error="invalid_token", error_description="The access token has been revoked."',
    );
    expect((await introspect(t, resourceServer, { token })).body).toEqual({ active: false });
    // The client's other tokens are untouched.
    expect((await callApi(await tokenOf(partner))).status).toBe(200);
  });

  it('stores the revocation until the token expires, and audits it without the token', async () => {
    const record = jest.spyOn(t.app.get(AuditLog), 'record');
    const token = await tokenOf(partner);
    const { jti, exp } = jwt.decode(token) as { jti: string; exp: number };

    await revoke(t, partner, { token }).expect(200);

    expect((await revokedRows()).find((row) => row.jti === jti)).toMatchObject({
      clientId: partner.client_id,
      organizationId,
      expiresAt: new Date(exp * 1000),
      revokedAt: expect.any(Date),
    });
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'token.revoked', clientId: partner.client_id, organizationId, details: { jti } }),
    );
    expect(JSON.stringify(record.mock.calls)).not.toContain(token);
    record.mockRestore();
  });

  it('answers 200 again for a token already revoked, keeping one row', async () => {
    const token = await tokenOf(partner);
    expectRevocationAnswer(await revoke(t, partner, { token }));
    expectRevocationAnswer(await revoke(t, partner, { token }));
    expect((await revokedRows()).filter((row) => row.jti === jtiOf(token))).toHaveLength(1);
  });

  it('works with oauth4webapi, a real client library', async () => {
    const token = await tokenOf(partner);
    const as: oauth.AuthorizationServer = { issuer: t.config.oauth.issuer, revocation_endpoint: `${t.baseUrl}/oauth/revoke` };
    const response = await oauth.revocationRequest(
      as,
      { client_id: partner.client_id },
      oauth.ClientSecretBasic(partner.client_secret),
      token,
      {
        [oauth.allowInsecureRequests]: true,
      },
    );
    await expect(oauth.processRevocationResponse(response)).resolves.toBeUndefined();
    expect((await callApi(token)).status).toBe(401);
  });

  it.each([
    ['a client of the same organization', () => colleague],
    ['a client of another organization', () => outsider],
  ])("leaves another client's token alone when %s asks, with the same 200", async (_case, caller) => {
    const token = await tokenOf(partner);
    expectRevocationAnswer(await revoke(t, caller(), { token }));
    expect((await callApi(token)).status).toBe(200);
    expect((await revokedRows()).some((row) => row.jti === jtiOf(token))).toBe(false);
  });

  describe('answers 200 and writes nothing', () => {
    it.each([
      ['an unknown, malformed token', 'garbage'],
      ['a JWT-shaped token that is not one', 'a.b.c'],
    ])('for %s', async (_case, token) => {
      const before = (await revokedRows()).length;
      expectRevocationAnswer(await revoke(t, partner, { token }));
      expect(await revokedRows()).toHaveLength(before);
    });

    it("for a forged token naming the caller, signed with someone else's key", async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const claims = claimsOf(t, partner);
      const forged = jwt.sign(claims, privateKey, { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid: 'forged' } });
      expectRevocationAnswer(await revoke(t, partner, { token: forged }));
      expect((await revokedRows()).some((row) => row.jti === claims.jti)).toBe(false);
    });

    it('for an expired token of the caller', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      const claims = claimsOf(t, partner, { iat: past, exp: past + 600 });
      expectRevocationAnswer(await revoke(t, partner, { token: await signWithServerKey(t, claims) }));
      expect((await revokedRows()).some((row) => row.jti === claims.jti)).toBe(false);
    });
  });

  describe('token_type_hint (section 2.1: only a hint)', () => {
    it('answers 200 for refresh_token when nothing matches: this server issues no refresh tokens', async () => {
      expectRevocationAnswer(await revoke(t, partner, { token: 'no-such-refresh-token', token_type_hint: 'refresh_token' }));
    });

    it.each(['refresh_token', 'access_token', 'urn:example:unknown'])('still finds an access token hinted as %s', async (hint) => {
      const token = await tokenOf(partner);
      expectRevocationAnswer(await revoke(t, partner, { token, token_type_hint: hint }));
      expect((await callApi(token)).status).toBe(401);
    });
  });

  describe('refuses', () => {
    it('a request without a token, with invalid_request', async () => {
      expectOAuthError(await revoke(t, partner, {}), 400, 'invalid_request');
    });

    it.each([
      ['no client authentication', undefined],
      ['a wrong secret', () => basicAuthorization(partner.client_id, 'orgsync_cs_wrong')],
    ])('%s, with 401 invalid_client, revoking nothing', async (_case, authorization) => {
      const token = await tokenOf(partner);
      const request = t.http().post('/oauth/revoke').type('form');
      if (authorization) void request.set('authorization', authorization());
      const response = await request.send({ token });
      expectOAuthError(response, 401, 'invalid_client');
      expect(response.headers['www-authenticate']).toBe('Basic realm="orgsync"');
      expect((await callApi(token)).status).toBe(200);
    });

    it.each(['get', 'put', 'patch', 'delete'] as const)('%s, with invalid_request and Allow: POST', async (method) => {
      const response = await t.http()[method]('/oauth/revoke');
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.headers.allow).toBe('POST');
    });
  });

  it('selects and purges revoked_tokens rows by instant on this database', async () => {
    const repository = t.app.get(RevokedTokensRepository);
    const at = (offsetMs: number) => new Date(Date.UTC(2031, 5, 1) + offsetMs);
    const row = (jti: string, expiresAt: Date, revokedAt: Date) => ({
      jti,
      clientId: partner.client_id,
      organizationId,
      expiresAt,
      revokedAt,
    });
    await repository.insertIfAbsent(row('00000000-0000-7000-8000-000000000001', at(-1), at(-600_000)));
    await repository.insertIfAbsent(row('00000000-0000-7000-8000-000000000002', at(1), at(-1)));
    await repository.insertIfAbsent(row('00000000-0000-7000-8000-000000000003', at(600_000), at(1)));
    const jtis = (rows: RevokedTokenEntity[]) => rows.map((r) => r.jti.slice(-1)).sort();

    expect(jtis((await repository.listExpiringAfter(at(0))).filter((r) => r.jti.startsWith('00000000')))).toEqual(['2', '3']);
    expect(jtis(await repository.listRevokedAfter(at(0), at(-1_000)))).toEqual(['3']);
    expect(jtis(await repository.listRevokedAfter(at(-2), at(2)))).toEqual(['3']);

    await repository.deleteExpiredBefore(at(0));
    const left = (await revokedRows()).filter((r) => r.jti.startsWith('00000000'));
    expect(jtis(left)).toEqual(['2', '3']);
  });

  // Last: a second app in this process takes over the process-global passport strategy.
  it('is known to a server started later on the same database', async () => {
    const token = await tokenOf(partner);
    await revoke(t, partner, { token }).expect(200);
    const later = await startTestApp(common, database);
    try {
      expect((await introspect(later, resourceServer, { token })).body).toEqual({ active: false });
      expect((await introspect(later, resourceServer, { token: await tokenOf(partner) })).body.active).toBe(true);
    } finally {
      await later.close();
    }
  });
});

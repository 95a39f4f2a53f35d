import { generateKeyPairSync } from 'node:crypto';
import type { Response } from 'supertest';
import { adminToken, basicAuthorization, createClient, createOrganization, type CreatedClient, obtainToken } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { expectInvalidClient, expectInvalidToken, expectOAuthError } from './support/expectations.js';
import { decodeParts, signJws } from './support/forged-jwt.js';
import { startSecurityApp } from './support/security-app.js';

/**
 * Who may revoke and who may learn about a token. RFC 7009 section 5 and
 * RFC 7662 section 4: the endpoints must not become a way to revoke other
 * clients' tokens, to scan for valid tokens, or to learn about another
 * organization's tokens.
 */
describe('revocation and introspection abuse (RFC 7009 sections 2.1 and 5, RFC 7662 sections 2.1, 2.2 and 4)', () => {
  let t: TestApp;
  let admin: string;
  let a1: CreatedClient;
  let a2: CreatedClient;
  let b: CreatedClient;
  let resourceServerA: CreatedClient;
  let resourceServerB: CreatedClient;
  let notPermitted: CreatedClient;

  beforeAll(async () => {
    t = await startSecurityApp();
    admin = await adminToken(t);
    const orgA = await createOrganization(t, admin, 'Org A');
    const orgB = await createOrganization(t, admin, 'Org B');
    a1 = await createClient(t, admin, orgA.id);
    a2 = await createClient(t, admin, orgA.id);
    b = await createClient(t, admin, orgB.id);
    resourceServerA = await createClient(t, admin, orgA.id, { introspection_allowed: true });
    resourceServerB = await createClient(t, admin, orgB.id, { introspection_allowed: true });
    notPermitted = await createClient(t, admin, orgA.id);
  });
  afterAll(() => t.close());

  const as = (client: CreatedClient) => basicAuthorization(client.client_id, client.client_secret);
  const revoke = (caller: CreatedClient, token: string, hint?: string) =>
    t
      .http()
      .post('/oauth/revoke')
      .set('authorization', as(caller))
      .type('form')
      .send({ token, ...(hint ? { token_type_hint: hint } : {}) });
  const introspect = (caller: CreatedClient, token: string) =>
    t.http().post('/oauth/introspect').set('authorization', as(caller)).type('form').send({ token });
  const useApi = (token: string) => t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });
  const tokenOf = (client: CreatedClient) => obtainToken(t, client.client_id, client.client_secret);

  /** RFC 7009 section 2.2: 200, and the body is ignored by the client; ours is empty. */
  function expectRevocationAnswer(response: Response): void {
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers['cache-control']).toBe('no-store');
  }

  /** RFC 7662 section 2.2: an inactive token is {"active": false} and nothing more. */
  function expectInactive(response: Response): void {
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toStrictEqual({ active: false });
  }

  describe('revocation by someone else (RFC 7009 section 2.1: only the client the token was issued to)', () => {
    it.each([
      ['a client of another organization', () => b],
      ['another client of the same organization', () => a2],
      ['a resource server allowed to introspect', () => resourceServerA],
    ])('lets %s "revoke" A1’s token with the same 200 but changes nothing', async (_label, caller) => {
      const token = await tokenOf(a1);
      expectRevocationAnswer(await revoke(caller(), token));
      expectRevocationAnswer(await revoke(caller(), token, 'refresh_token'));
      expect((await useApi(token)).status).toBe(200);
      expect((await introspect(resourceServerA, token)).body.active).toBe(true);
    });

    it('does not revoke the real token when a forged one carries its jti', async () => {
      const token = await tokenOf(a1);
      const { header, payload } = decodeParts(token);
      const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const forged = signJws({ ...header, alg: 'ES256' }, { ...payload, client_id: b.client_id, sub: b.client_id }, attacker, 'ES256');
      expectRevocationAnswer(await revoke(b, forged));
      expect((await useApi(token)).status).toBe(200);
    });

    it('refuses a caller whose authentication fails with 401 invalid_client, revoking nothing', async () => {
      const token = await tokenOf(a1);
      expectInvalidClient(
        await t
          .http()
          .post('/oauth/revoke')
          .set('authorization', basicAuthorization(a1.client_id, 'orgsync_cs_wrong'))
          .type('form')
          .send({ token }),
      );
      expectInvalidClient(await t.http().post('/oauth/revoke').type('form').send({ token }));
      expect((await useApi(token)).status).toBe(200);
    });

    it('refuses the token in the query string (RFC 9700 section 4.3.2)', async () => {
      const token = await tokenOf(a1);
      const response = await t.http().post(`/oauth/revoke?token=${token}`).set('authorization', as(a1)).type('form').send({});
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.text).not.toContain(token);
      expect((await useApi(token)).status).toBe(200);
    });
  });

  describe('a revoked token (RFC 7009 section 2: effective at once)', () => {
    it('is refused by the API at once, reported inactive, and revoking it again is the same 200', async () => {
      const token = await tokenOf(a1);
      const other = await tokenOf(a1);
      expect((await useApi(token)).status).toBe(200);
      expectRevocationAnswer(await revoke(a1, token));
      const refused = await useApi(token);
      expectInvalidToken(refused);
      expectInactive(await introspect(resourceServerA, token));
      expectRevocationAnswer(await revoke(a1, token));
      // Only that token: the client's other tokens and new ones keep working.
      expect((await useApi(other)).status).toBe(200);
      expect((await useApi(await tokenOf(a1))).status).toBe(200);
    });
  });

  describe('introspection permission (RFC 7662 section 2.1: no token scanning)', () => {
    it('refuses a client without the introspection permission with 403 unauthorized_client, telling nothing about the token', async () => {
      const token = await tokenOf(a1);
      const valid = await introspect(notPermitted, token);
      const garbage = await introspect(notPermitted, 'not-a-token');
      expectOAuthError(valid, 403, 'unauthorized_client');
      expect(garbage.status).toBe(valid.status);
      expect(garbage.body).toEqual(valid.body);
    });

    it('refuses the token holder itself when it lacks the permission', async () => {
      expectOAuthError(await introspect(a1, await tokenOf(a1)), 403, 'unauthorized_client');
    });

    it('refuses a caller whose authentication fails with 401 invalid_client', async () => {
      const response = await t
        .http()
        .post('/oauth/introspect')
        .set('authorization', basicAuthorization(resourceServerA.client_id, 'orgsync_cs_wrong'))
        .type('form')
        .send({ token: await tokenOf(a1) });
      expectInvalidClient(response);
    });

    it('refuses an anonymous caller with 401 invalid_client', async () => {
      expectInvalidClient(
        await t
          .http()
          .post('/oauth/introspect')
          .type('form')
          .send({ token: await tokenOf(a1) }),
      );
    });

    it('refuses a bearer access token in place of client authentication', async () => {
      const token = await tokenOf(a1);
      const response = await t.http().post('/oauth/introspect').auth(token, { type: 'bearer' }).type('form').send({ token });
      expectInvalidClient(response);
    });
  });

  describe('what introspection tells (RFC 7662 section 4: only what the caller may know)', () => {
    it('describes a token of its own organization to a permitted resource server (the control)', async () => {
      const token = await tokenOf(a1);
      const response = await introspect(resourceServerA, token);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toMatchObject({ active: true, client_id: a1.client_id, org_id: a1.organization_id, token_type: 'Bearer' });
    });

    it('never describes another organization’s valid token: active false and nothing else', async () => {
      expectInactive(await introspect(resourceServerB, await tokenOf(a1)));
      expectInactive(await introspect(resourceServerA, await tokenOf(b)));
    });

    it('answers another organization’s token exactly as a garbage token', async () => {
      const foreign = await introspect(resourceServerB, await tokenOf(a1));
      const garbage = await introspect(resourceServerB, 'eyJhbGciOiJub25lIn0.e30.');
      expect(foreign.body).toStrictEqual(garbage.body);
      expect(foreign.status).toBe(garbage.status);
    });

    it('reports the token of a client disabled since as inactive', async () => {
      const c = await createClient(t, admin, a1.organization_id);
      const token = await tokenOf(c);
      expect(
        (await t.http().patch(`/admin/clients/${c.client_id}`).auth(admin, { type: 'bearer' }).send({ status: 'disabled' })).status,
      ).toBe(200);
      expectInactive(await introspect(resourceServerA, token));
    });

    it('reports a tampered token as inactive', async () => {
      const [header, payload, signature] = (await tokenOf(a1)).split('.');
      const widened = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), scope: 'admin' }),
      ).toString('base64url');
      expectInactive(await introspect(resourceServerA, `${header}.${widened}.${signature}`));
    });

    it('refuses the token in the query string (RFC 9700 section 4.3.2)', async () => {
      const token = await tokenOf(a1);
      const response = await t
        .http()
        .post(`/oauth/introspect?token=${token}`)
        .set('authorization', as(resourceServerA))
        .type('form')
        .send({});
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.text).not.toContain(token);
    });

    it('refuses a request without the token parameter with invalid_request', async () => {
      expectOAuthError(
        await t.http().post('/oauth/introspect').set('authorization', as(resourceServerA)).type('form').send({}),
        400,
        'invalid_request',
      );
    });
  });
});

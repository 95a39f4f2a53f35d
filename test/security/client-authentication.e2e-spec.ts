import type { Response } from 'supertest';
import { adminToken, basicAuthorization, createClient, createOrganization, type CreatedClient } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { expectInvalidClient, expectOAuthError } from './support/expectations.js';
import { startSecurityApp } from './support/security-app.js';

const GRANT = 'grant_type=client_credentials';

/**
 * Attacks on client authentication at the token endpoint: borrowed, altered
 * and misplaced credentials. A failed authentication is always the same
 * 401 invalid_client, whatever failed, so that it tells an attacker nothing;
 * a request that breaks the protocol is 400 invalid_request.
 */
describe('client authentication attacks (RFC 6749 sections 2.3 and 10.10, RFC 9700 section 2.5)', () => {
  let t: TestApp;
  let admin: string;
  let basicClient: CreatedClient;
  let postClient: CreatedClient;
  let otherOrgClient: CreatedClient;
  let disabledClient: CreatedClient;
  let deletedClient: CreatedClient;
  let deletedOrgClient: CreatedClient;

  beforeAll(async () => {
    t = await startSecurityApp();
    admin = await adminToken(t);
    const organization = await createOrganization(t, admin, 'Home');
    basicClient = await createClient(t, admin, organization.id);
    postClient = await createClient(t, admin, organization.id, { token_endpoint_auth_method: 'client_secret_post' });
    otherOrgClient = await createClient(t, admin, (await createOrganization(t, admin, 'Elsewhere')).id);
    disabledClient = await createClient(t, admin, organization.id);
    deletedClient = await createClient(t, admin, organization.id);
    const doomed = await createOrganization(t, admin, 'Doomed');
    deletedOrgClient = await createClient(t, admin, doomed.id);
    expect(
      (await t.http().patch(`/admin/clients/${disabledClient.client_id}`).auth(admin, { type: 'bearer' }).send({ status: 'disabled' }))
        .status,
    ).toBe(200);
    expect((await t.http().delete(`/admin/clients/${deletedClient.client_id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
    expect((await t.http().delete(`/admin/organizations/${doomed.id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
  });
  afterAll(() => t.close());

  const token = () => t.http().post('/oauth/token');
  const withBasic = (clientId: string, clientSecret: string, body = GRANT) =>
    token().set('authorization', basicAuthorization(clientId, clientSecret)).type('form').send(body);
  const withPost = (clientId: string, clientSecret: string) =>
    token().type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const rawBasic = (payload: Buffer | string) =>
    token()
      .set('authorization', `Basic ${Buffer.from(payload).toString('base64')}`)
      .type('form')
      .send(GRANT);

  it('issues tokens to the genuine credentials (the control for every case below)', async () => {
    expect((await withBasic(basicClient.client_id, basicClient.client_secret)).status).toBe(200);
    expect((await withPost(postClient.client_id, postClient.client_secret)).status).toBe(200);
  });

  describe('borrowed and mismatched credentials', () => {
    it.each([
      ['another client’s secret (same organization)', () => withBasic(basicClient.client_id, postClient.client_secret)],
      ['another organization’s client secret', () => withBasic(basicClient.client_id, otherOrgClient.client_secret)],
      ['a valid secret under a swapped client_id', () => withBasic(otherOrgClient.client_id, basicClient.client_secret)],
      ['another client’s secret in the body', () => withPost(postClient.client_id, basicClient.client_secret)],
      ['the admin client’s ID with an organization client’s secret', () => withBasic('test-platform-admin', basicClient.client_secret)],
    ])('refuses %s with invalid_client', async (_label, send) => {
      expectInvalidClient(await send());
    });

    it('refuses a body client_id that differs from the Basic client (400 invalid_request)', async () => {
      const response = await withBasic(basicClient.client_id, basicClient.client_secret, `${GRANT}&client_id=${otherOrgClient.client_id}`);
      expectOAuthError(response, 400, 'invalid_request');
    });
  });

  describe('credentials where they must not be (RFC 6749 section 2.3.1, RFC 9700 section 4.3.2)', () => {
    it.each([
      ['client_secret', () => `client_id=${postClient.client_id}&client_secret=${postClient.client_secret}`],
      ['client_id', () => `client_id=${postClient.client_id}`],
      ['client_assertion', () => 'client_assertion=x.y.z'],
    ])('refuses %s in the query string, without echoing it', async (_label, query) => {
      const response = await t
        .http()
        .post(`/oauth/token?${query()}`)
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: postClient.client_id, client_secret: postClient.client_secret });
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.text).not.toContain(postClient.client_secret);
    });

    it('refuses Basic and client_secret_post together, even when both are right', async () => {
      const response = await withBasic(
        basicClient.client_id,
        basicClient.client_secret,
        `${GRANT}&client_secret=${basicClient.client_secret}`,
      );
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.body.error_description).toMatch(/more than one method/);
    });

    it('refuses Basic together with a client assertion', async () => {
      const body = `${GRANT}&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=a.b.c`;
      expectOAuthError(await withBasic(basicClient.client_id, basicClient.client_secret, body), 400, 'invalid_request');
    });

    it('refuses a client_secret_basic client presenting its secret in the body, and the reverse', async () => {
      expectInvalidClient(await withPost(basicClient.client_id, basicClient.client_secret));
      expectInvalidClient(await withBasic(postClient.client_id, postClient.client_secret));
    });

    it('refuses a bearer token in place of client authentication', async () => {
      const response = await token().set('authorization', `Bearer ${admin}`).type('form').send(GRANT);
      expectInvalidClient(response);
    });
  });

  describe('one generic invalid_client for every failure (RFC 6749 section 5.2; no client enumeration)', () => {
    const failures: Array<[string, () => Promise<Response>]> = [
      ['an unknown client', () => withBasic('orgsync_ci_doesnotexist0000000000', basicClient.client_secret)],
      ['a wrong secret', () => withBasic(basicClient.client_id, 'orgsync_cs_wrong')],
      ['the right secret of a disabled client', () => withBasic(disabledClient.client_id, disabledClient.client_secret)],
      ['the right secret of a deleted client', () => withBasic(deletedClient.client_id, deletedClient.client_secret)],
      [
        'the right secret of a client whose organization was deleted',
        () => withBasic(deletedOrgClient.client_id, deletedOrgClient.client_secret),
      ],
      ['an empty secret', () => withBasic(basicClient.client_id, '')],
    ];

    it.each(failures)('refuses %s with invalid_client', async (_label, send) => {
      expectInvalidClient(await send());
    });

    it('answers all of them with the same body and the same headers', async () => {
      const responses = await Promise.all(failures.map(([, send]) => send()));
      const shapeOf = (response: Response) => ({
        status: response.status,
        body: response.body as unknown,
        headers: Object.keys(response.headers)
          .filter((name) => !['date', 'x-request-id', 'content-length', 'connection', 'keep-alive'].includes(name))
          .sort()
          .map((name) => `${name}: ${String(response.headers[name])}`),
      });
      const first = shapeOf(responses[0]!);
      for (const response of responses) expect(shapeOf(response)).toEqual(first);
    });

    it('does not reveal through client_secret_post either', async () => {
      const unknown = await withPost('orgsync_ci_doesnotexist0000000000', postClient.client_secret);
      const wrong = await withPost(postClient.client_id, 'orgsync_cs_wrong');
      expectInvalidClient(unknown);
      expectInvalidClient(wrong);
      expect(wrong.body).toEqual(unknown.body);
    });
  });

  describe('altered secrets and identifiers are not normalised into valid ones', () => {
    it.each([
      ['a trailing newline', (s: string) => `${s}\n`],
      ['a trailing CRLF', (s: string) => `${s}\r\n`],
      ['a trailing space', (s: string) => `${s} `],
      ['a leading space', (s: string) => ` ${s}`],
      ['a trailing NUL', (s: string) => `${s}\u0000`],
      ['a changed case', (s: string) => s.toUpperCase()],
      ['one character less', (s: string) => s.slice(0, -1)],
      ['the secret prefix only', (s: string) => s.slice(0, 11)],
    ])('refuses the secret with %s (Basic and body)', async (_label, alter) => {
      expectInvalidClient(await withBasic(basicClient.client_id, alter(basicClient.client_secret)));
      expectInvalidClient(await withPost(postClient.client_id, alter(postClient.client_secret)));
    });

    it.each([
      ['a trailing space', (id: string) => `${id} `],
      ['a changed case', (id: string) => id.toUpperCase()],
      ['a trailing NUL', (id: string) => `${id}\u0000`],
    ])('refuses the client ID with %s', async (_label, alter) => {
      expectInvalidClient(await withBasic(alter(basicClient.client_id), basicClient.client_secret));
    });
  });

  describe('oversized credentials', () => {
    it.each([
      ['a 129-character client ID', () => withBasic('c'.repeat(129), basicClient.client_secret)],
      ['a 5,000-character client ID', () => withBasic('c'.repeat(5000), basicClient.client_secret)],
      ['a 513-character secret', () => withBasic(basicClient.client_id, 's'.repeat(513))],
      ['a 10,000-character secret', () => withBasic(basicClient.client_id, `${basicClient.client_secret}${'s'.repeat(10_000)}`)],
      ['a 10,000-character secret in the body', () => withPost(postClient.client_id, 's'.repeat(10_000))],
    ])('refuses %s with invalid_client', async (_label, send) => {
      expectInvalidClient(await send());
    });
  });

  describe('malformed Basic credentials (RFC 7617 section 2, RFC 6749 Appendix B)', () => {
    it.each([
      ['characters outside base64', 'Basic %%%'],
      ['base64 of the wrong length', 'Basic YWJj='],
      ['an empty credential', 'Basic '],
      ['the scheme alone', 'Basic'],
      ['two credentials', 'Basic YTpi YTpi'],
    ])('refuses %s with invalid_request', async (_label, authorization) => {
      const response = await token().set('authorization', authorization).type('form').send(GRANT);
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('refuses credentials without the ":" separator', async () => {
      const response = await rawBasic(`${basicClient.client_id}${basicClient.client_secret}`);
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.body.error_description).toBe('The Basic credentials lack the colon between client ID and secret.');
    });

    it('refuses credentials without a client ID', async () => {
      expectOAuthError(await rawBasic(`:${basicClient.client_secret}`), 400, 'invalid_request');
    });

    it('refuses malformed percent-encoding inside the credentials', async () => {
      expectOAuthError(await rawBasic(`${basicClient.client_id}:%zz`), 400, 'invalid_request');
    });

    it('refuses percent-encoded bytes that are not UTF-8', async () => {
      expectOAuthError(await rawBasic(`${basicClient.client_id}:%FF%FE`), 400, 'invalid_request');
    });

    it('refuses raw bytes that are not UTF-8 instead of decoding them lossily', async () => {
      const payload = Buffer.concat([Buffer.from(`${basicClient.client_id}:`), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]);
      const response = await rawBasic(payload);
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.body.error_description).toBe('The Basic credentials are not valid UTF-8.');
    });

    it('accepts the scheme name in any case (RFC 7235 section 2.1)', async () => {
      const authorization = basicAuthorization(basicClient.client_id, basicClient.client_secret).replace('Basic', 'bASIC');
      expect((await token().set('authorization', authorization).type('form').send(GRANT)).status).toBe(200);
    });
  });
});

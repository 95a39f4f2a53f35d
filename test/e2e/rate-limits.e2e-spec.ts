import { adminToken, createClient, createOrganization, type CreatedClient } from '../support/factories.js';
import { expectTooManyRequests, tokenRequestFrom } from '../support/rate-limits.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const WINDOW_SECONDS = 60;
const PER_ADDRESS = 8;
const FAILURES = 3;
const PER_CLIENT = 3;

describe('abuse limits of the OAuth endpoints', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      RATE_LIMIT_STORE: 'memory',
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
      RATE_LIMIT_FAILURES_PER_CLIENT: String(FAILURES),
      RATE_LIMIT_PER_CLIENT: String(PER_CLIENT),
    });
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin)).id;
  });
  afterAll(() => t.close());

  const newClient = (): Promise<CreatedClient> => createClient(t, admin, organizationId);

  describe('per source address', () => {
    const flooder = '198.51.100.1';

    it('refuses every OAuth endpoint with 429 once an address has spent its requests, before reading the body', async () => {
      for (let i = 0; i < PER_ADDRESS; i++) {
        const response = await t
          .http()
          .post('/oauth/token')
          .set('x-forwarded-for', flooder)
          .type('form')
          .send({ grant_type: 'client_credentials' });
        expect(response.status).toBe(401);
      }
      for (const path of ['/oauth/token', '/oauth/introspect', '/oauth/revoke', '/oauth/%74oken']) {
        expectTooManyRequests(await t.http().post(path).set('x-forwarded-for', flooder).type('form').send({ token: 'x' }), WINDOW_SECONDS);
      }
      // An oversized body would be a 400 once read; the limit answers first.
      const oversized = await t
        .http()
        .post('/oauth/token')
        .set('x-forwarded-for', flooder)
        .type('form')
        .send(`pad=${'x'.repeat(64 * 1024)}`);
      expectTooManyRequests(oversized, WINDOW_SECONDS);
    });

    it('leaves other addresses and the rest of the API alone', async () => {
      const client = await newClient();
      expect((await tokenRequestFrom(t, '198.51.100.2', client.client_id, client.client_secret)).status).toBe(200);
      const discovery = await t.http().get('/.well-known/oauth-authorization-server').set('x-forwarded-for', flooder);
      expect(discovery.status).toBe(200);
    });
  });

  describe('failed authentications per client ID and address', () => {
    const attacker = '203.0.113.10';
    const partner = '203.0.113.20';

    it('locks out the address that floods bad secrets for a client, while the real client keeps getting tokens from its own', async () => {
      const client = await newClient();
      for (let i = 0; i < FAILURES; i++) {
        expect((await tokenRequestFrom(t, attacker, client.client_id, 'orgsync_cs_wrong')).status).toBe(401);
      }
      expectTooManyRequests(await tokenRequestFrom(t, attacker, client.client_id, 'orgsync_cs_wrong'), WINDOW_SECONDS);
      // Locked out means the pair: even the right secret from that address waits out the window.
      expectTooManyRequests(await tokenRequestFrom(t, attacker, client.client_id, client.client_secret), WINDOW_SECONDS);

      const real = await tokenRequestFrom(t, partner, client.client_id, client.client_secret);
      expect(real.status).toBe(200);
      expect(real.body.access_token).toEqual(expect.any(String));
    });

    it('locks out only the client ID that failed: the same address may still authenticate as another client', async () => {
      const target = await newClient();
      const other = await newClient();
      const address = '203.0.113.30';
      for (let i = 0; i < FAILURES; i++) await tokenRequestFrom(t, address, target.client_id, 'orgsync_cs_wrong');
      expectTooManyRequests(await tokenRequestFrom(t, address, target.client_id, target.client_secret), WINDOW_SECONDS);
      expect((await tokenRequestFrom(t, address, other.client_id, other.client_secret)).status).toBe(200);
    });

    it('counts unknown client IDs the same way, so a lockout reveals nothing about which IDs exist', async () => {
      const address = '203.0.113.40';
      for (let i = 0; i < FAILURES; i++) expect((await tokenRequestFrom(t, address, 'no-such-client', 'guess')).status).toBe(401);
      expectTooManyRequests(await tokenRequestFrom(t, address, 'no-such-client', 'guess'), WINDOW_SECONDS);
    });
  });

  describe('authenticated requests per client', () => {
    it('refuses a client past its own budget from any address, and only that client', async () => {
      const client = await newClient();
      const other = await newClient();
      // Outsiders failing to authenticate as the client do not spend its budget.
      for (let i = 0; i < FAILURES - 1; i++) await tokenRequestFrom(t, '192.0.2.99', client.client_id, 'orgsync_cs_wrong');
      for (let i = 0; i < PER_CLIENT; i++) {
        expect((await tokenRequestFrom(t, `192.0.2.${i + 1}`, client.client_id, client.client_secret)).status).toBe(200);
      }
      expectTooManyRequests(await tokenRequestFrom(t, '192.0.2.50', client.client_id, client.client_secret), WINDOW_SECONDS);
      expect((await tokenRequestFrom(t, '192.0.2.50', other.client_id, other.client_secret)).status).toBe(200);
    });
  });
});

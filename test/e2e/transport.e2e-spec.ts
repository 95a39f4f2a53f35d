import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { AppConfig } from '../../src/config/app-config.js';
import { ConfigurationError } from '../../src/config/environment.js';
import { adminToken, basicAuthorization, expectProblem } from '../support/factories.js';
import { expectTooManyRequests } from '../support/rate-limits.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startTestApp, type TestApp } from '../support/test-app.js';

/** The headers every response carries, whatever the route (helmet, configured in security-headers.ts). */
function expectSecurityHeaders(response: Response): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
}

const API_CSP = "default-src 'none'";

describe('transport and headers', () => {
  describe('security headers and body limits (plain http, http issuer)', () => {
    let t: TestApp;
    let admin: string;

    beforeAll(async () => {
      t = await startTestApp({ HTTP_BODY_LIMIT: '4096' });
      admin = await adminToken(t);
    });
    afterAll(() => t.close());

    it.each([
      ['an API response', () => t.http().get('/api/v1/organization')],
      ['an admin response', () => t.http().get('/admin/organizations').auth(admin, { type: 'bearer' })],
      [
        'a token response',
        () =>
          t
            .http()
            .post('/oauth/token')
            .set('authorization', basicAuthorization(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET))
            .type('form')
            .send({ grant_type: 'client_credentials' }),
      ],
      ['a token error', () => t.http().post('/oauth/token').type('form').send({ grant_type: 'client_credentials' })],
      ['discovery', () => t.http().get('/.well-known/oauth-authorization-server')],
      ['an unknown route', () => t.http().get('/no/such/route')],
    ])('puts the strict API policy on %s', async (_name, send) => {
      const response = await send();
      expectSecurityHeaders(response);
      expect(response.headers['content-security-policy']).toContain(API_CSP);
    });

    it('keeps the cache rules beside them: no-store and Vary: Authorization on data, public caching on discovery', async () => {
      const data = await t.http().get('/admin/organizations').auth(admin, { type: 'bearer' });
      expect(data.headers['cache-control']).toBe('no-store');
      expect(data.headers['vary']).toMatch(/Authorization/);
      const discovery = await t.http().get('/.well-known/oauth-authorization-server');
      expect(discovery.headers['cache-control']).toBe('public, max-age=300');
    });

    it('lets Swagger UI run its own scripts and styles at /docs, and nothing from elsewhere', async () => {
      for (const path of ['/docs', '/docs/openapi.json']) {
        const response = await t.http().get(path);
        expect(response.status).toBe(200);
        expectSecurityHeaders(response);
        const csp = response.headers['content-security-policy'];
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toContain('*');
      }
    });

    it('sends no Strict-Transport-Security over plain http with an http issuer', async () => {
      expect((await t.http().get('/.well-known/oauth-authorization-server')).headers['strict-transport-security']).toBeUndefined();
    });

    it('answers a JSON body over HTTP_BODY_LIMIT with a 413 problem', async () => {
      const response = await t
        .http()
        .post('/admin/organizations')
        .auth(admin, { type: 'bearer' })
        .type('json')
        .send(JSON.stringify({ name: 'x'.repeat(8 * 1024) }));
      expectProblem(response, 413, 'payload_too_large');
      expectSecurityHeaders(response);
    });

    it('keeps the OAuth form limit of its own (16 KiB), whatever HTTP_BODY_LIMIT says', async () => {
      const response = await t
        .http()
        .post('/oauth/token')
        .set('authorization', basicAuthorization(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET))
        .type('form')
        .send(`grant_type=client_credentials&pad=${'x'.repeat(10 * 1024)}`);
      expect(response.status).toBe(200);
    });
  });

  describe('source addresses', () => {
    const limits = { RATE_LIMIT_PER_ADDRESS: '2', RATE_LIMIT_FAILURES_PER_CLIENT: '0' };
    const from = (t: TestApp, address: string) =>
      t.http().post('/oauth/token').set('x-forwarded-for', address).type('form').send({ grant_type: 'client_credentials' });

    it('ignores X-Forwarded-For without TRUST_PROXY: every request counts against the peer address', async () => {
      const t = await startTestApp(limits);
      try {
        expect((await from(t, '198.51.100.1')).status).toBe(401);
        expect((await from(t, '198.51.100.2')).status).toBe(401);
        expectTooManyRequests(await from(t, '198.51.100.3'), 60);
      } finally {
        await t.close();
      }
    });

    it('honours X-Forwarded-For with TRUST_PROXY, and sends HSTS when the issuer is https (behind a TLS proxy)', async () => {
      const t = await startTestApp({ ...limits, TRUST_PROXY: '127.0.0.1', ISSUER: 'https://auth.example.com' });
      try {
        expect((await from(t, '198.51.100.1')).status).toBe(401);
        expect((await from(t, '198.51.100.2')).status).toBe(401);
        expect((await from(t, '198.51.100.3')).status).toBe(401);
        expect((await from(t, '198.51.100.1')).status).toBe(401);
        const refused = await from(t, '198.51.100.1');
        expectTooManyRequests(refused, 60);
        expect(refused.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        expectSecurityHeaders(refused);
      } finally {
        await t.close();
      }
    });
  });

  describe('native HTTPS', () => {
    let dir: string;
    let certFile: string;
    let keyFile: string;
    let ca: Buffer;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'orgsync-tls-'));
      certFile = join(dir, 'cert.pem');
      keyFile = join(dir, 'key.pem');
      // A self-signed certificate for 127.0.0.1, valid for a day.
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
      ], { stdio: 'ignore' }); // prettier-ignore
      execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'other-key.pem')], {
        stdio: 'ignore',
      });
      ca = await readFile(certFile);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('serves the token endpoint over https to a client that trusts the certificate, with HSTS', async () => {
      const t = await startTestApp({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
      try {
        const url = `https://127.0.0.1:${t.config.http.port}/oauth/token`;
        const response = await post(url, ca, {
          authorization: basicAuthorization(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
          'content-type': 'application/x-www-form-urlencoded',
        }, 'grant_type=client_credentials'); // prettier-ignore
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body)).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
        expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        // And only over TLS: a client that does not trust the certificate gets no answer.
        await expect(post(url, undefined, {}, '')).rejects.toThrow(/self-signed|self signed/);
      } finally {
        await t.close();
      }
    });

    async function startUpError(env: Record<string, string>): Promise<string> {
      try {
        const config = AppConfig.fromEnvironment({ SECRETS_KEY: randomBytes(32).toString('hex'), NODE_ENV: 'test', ...env }, dir);
        const app = await createApp(config, { logger: false });
        await app.close();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        const message = (error as Error).message;
        expect(message).not.toMatch(/\n\s+at /);
        return message;
      }
      throw new Error('expected start-up to fail');
    }

    it('refuses to start with TLS_CERT_FILE but no TLS_KEY_FILE, naming the missing variable', async () => {
      expect(await startUpError({ TLS_CERT_FILE: certFile })).toContain('TLS_KEY_FILE must be set together with TLS_CERT_FILE');
    });

    it('refuses to start when a file cannot be read, naming the variable and the path', async () => {
      const missing = join(dir, 'missing.pem');
      expect(await startUpError({ TLS_CERT_FILE: missing, TLS_KEY_FILE: keyFile })).toContain(
        `TLS_CERT_FILE ${missing} cannot be read (ENOENT)`,
      );
      expect(await startUpError({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: dir })).toContain(`TLS_KEY_FILE ${dir} cannot be read`);
    });

    it('refuses to start when the key does not belong to the certificate', async () => {
      const message = await startUpError({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: join(dir, 'other-key.pem') });
      expect(message).toContain('TLS_CERT_FILE and TLS_KEY_FILE must hold a PEM certificate and its private key');
    });
  });
});

interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A POST by Node's own https client, trusting only `ca` (or the system roots when undefined). */
function post(url: string, ca: Buffer | undefined, headers: Record<string, string>, body: string): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method: 'POST', headers, ...(ca ? { ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

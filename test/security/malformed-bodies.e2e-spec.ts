import type { Response } from 'supertest';
import {
  adminToken,
  basicAuthorization,
  createClient,
  createOrganization,
  type CreatedClient,
  expectProblem,
  obtainToken,
} from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { expectOAuthError } from './support/expectations.js';
import { rawRequest } from './support/raw-http.js';
import { countRows, startSecurityApp } from './support/security-app.js';

/** The default HTTP_BODY_LIMIT (1 MiB) for JSON; OAuth form bodies have their own 16 KiB. */
const JSON_LIMIT = 1024 * 1024;
const FORM_LIMIT = 16 * 1024;

/**
 * Bodies built to break a parser: too large, malformed, polluting, nested to
 * exhaustion, in the wrong media type or character set. The JSON APIs answer
 * with RFC 9457 problems (413, 400, 415), the OAuth endpoints with RFC 6749
 * invalid_request; nothing is a 500 and nothing is half-written.
 */
describe('malformed and hostile request bodies (RFC 9110 sections 15.5.14 and 15.5.16, RFC 8259, RFC 6749 section 3.2)', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  let client: CreatedClient;
  let introspector: CreatedClient;
  let accessToken: string;

  beforeAll(async () => {
    t = await startSecurityApp();
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin, 'Bodies')).id;
    client = await createClient(t, admin, organizationId);
    introspector = await createClient(t, admin, organizationId, { introspection_allowed: true });
    accessToken = await obtainToken(t, client.client_id, client.client_secret);
  });
  afterAll(() => t.close());

  /** The JSON routes under attack: admin creation and change, and an organization API write. */
  const jsonRoutes = () => [
    { name: 'POST /admin/organizations', call: () => t.http().post('/admin/organizations').auth(admin, { type: 'bearer' }) },
    { name: 'PATCH /admin/clients/:id', call: () => t.http().patch(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' }) },
    { name: 'POST /api/v1/members', call: () => t.http().post('/api/v1/members').auth(admin, { type: 'bearer' }) },
  ];
  const adminJson = (body: string | Buffer, contentType = 'application/json') =>
    t.http().post('/admin/organizations').auth(admin, { type: 'bearer' }).set('content-type', contentType).send(body);

  describe('JSON APIs', () => {
    it.each([0, 1, 2])('refuses a body one byte over the limit with 413 payload_too_large (route %#)', async (index) => {
      const route = jsonRoutes()[index]!;
      const body = JSON.stringify({ name: 'x'.repeat(JSON_LIMIT) }).slice(0, JSON_LIMIT + 1);
      const response = await route.call().set('content-type', 'application/json').send(body);
      expectProblem(response, 413, 'payload_too_large');
    });

    it('refuses an oversized chunked body (no Content-Length to trust) with 413', async () => {
      const { host } = new URL(t.baseUrl);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const chunks = Array.from({ length: 20 }, () =>
        Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
      );
      const head = `POST /admin/organizations HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${admin}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
      const response = await rawRequest(t.baseUrl, Buffer.concat([Buffer.from(head), ...chunks, Buffer.from('0\r\n\r\n')]));
      expect(response.status).toBe(413);
      expect(response.headers.find(([name]) => name === 'content-type')?.[1]).toMatch(/^application\/problem\+json/);
    });

    it.each([
      ['truncated JSON', '{"name":'],
      ['a trailing comma', '{"name":"a",}'],
      ['single quotes', "{'name':'a'}"],
      ['a bare word', 'name'],
      ['two documents', '{"name":"a"}{"name":"b"}'],
      ['NaN', '{"name":NaN}'],
    ])('refuses %s with 400 malformed_body', async (_label, body) => {
      expectProblem(await adminJson(body), 400, 'malformed_body');
    });

    it('refuses an empty JSON body with 400 malformed_body', async () => {
      expectProblem(await adminJson(''), 400, 'malformed_body');
    });

    it.each([
      ['an array', '[{"name":"a"}]'],
      ['a string', '"a"'],
      ['a number', '42'],
      ['null', 'null'],
    ])('refuses %s where an object is expected with 400', async (_label, body) => {
      const response = await adminJson(body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('refuses a body that is not UTF-8 with 400', async () => {
      const response = await adminJson(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]));
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('prototype pollution (CWE-1321)', () => {
    afterEach(() => {
      // The app runs in this process, in this realm: a polluted prototype would show here.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it.each([
      ['__proto__ at the top', '{"name":"Proto Top","__proto__":{"polluted":true}}'],
      ['constructor.prototype at the top', '{"name":"Ctor Top","constructor":{"prototype":{"polluted":true}}}'],
      ['__proto__ nested in a field', '{"name":{"__proto__":{"polluted":true}}}'],
      ['__proto__ in an array element', '{"name":"Arr","tags":[{"__proto__":{"polluted":true}}]}'],
      ['an escaped __proto__ key', '{"name":"Esc","\\u005f_proto__":{"polluted":true}}'],
    ])('refuses %s with 400 and pollutes nothing', async (_label, body) => {
      const organizations = await countRows(t, 'organizations');
      const response = await adminJson(body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await countRows(t, 'organizations')).toBe(organizations);
    });

    it('leaves later objects clean: a new organization carries no polluted member', async () => {
      const response = await adminJson(JSON.stringify({ name: 'Clean afterwards' }));
      expect(response.status).toBe(201);
      expect(response.body).not.toHaveProperty('polluted');
    });

    it('refuses client metadata whose jwks smuggles __proto__', async () => {
      const response = await t
        .http()
        .patch(`/admin/clients/${client.client_id}`)
        .auth(admin, { type: 'bearer' })
        .set('content-type', 'application/json')
        .send('{"jwks":{"keys":[{"kty":"EC","__proto__":{"polluted":true}}]}}');
      expect(response.status).toBe(400);
    });
  });

  describe('deeply nested JSON', () => {
    const TOO_DEEP = 'The JSON body is nested more than 32 levels deep.';
    /** An organization body whose unknown `extra` field nests objects so that the whole body has `levels` levels. */
    const nested = (levels: number) => `{"name":"Deep","extra":${'{"a":'.repeat(levels - 1)}1${'}'.repeat(levels - 1)}}`;

    it.each([33, 1_000, 20_000])('refuses %i levels of nesting with 400 malformed_body before validation, not a crash', async (levels) => {
      const body = nested(levels);
      expect(body.length).toBeLessThan(JSON_LIMIT);
      const organizations = await countRows(t, 'organizations');
      expect(expectProblem(await adminJson(body), 400, 'malformed_body').detail).toBe(TOO_DEEP);
      expect(await countRows(t, 'organizations')).toBe(organizations);
    });

    it('lets 32 levels through to validation, which refuses the unknown field', async () => {
      expectProblem(await adminJson(nested(32)), 400, 'validation_failed');
    });

    it('refuses 100,000 nested arrays with 400 malformed_body, not a crash', async () => {
      const response = await adminJson(`{"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      expect(expectProblem(response, 400, 'malformed_body').detail).toBe(TOO_DEEP);
    });

    it('still answers afterwards', async () => {
      expect((await t.http().get('/api/v1/organization').auth(accessToken, { type: 'bearer' })).status).toBe(200);
    });
  });

  describe('wrong media types (RFC 9110 section 15.5.16: 415)', () => {
    it.each([
      ['text/plain', '{"name":"a"}'],
      ['application/xml', '<name>a</name>'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--x--'],
      ['application/x-www-form-urlencoded', 'name=a'],
      ['application/octet-stream', '{"name":"a"}'],
      ['application/x-yaml', 'name: a'],
    ])('refuses %s on a JSON route with 415 unsupported_media_type', async (contentType, body) => {
      expectProblem(await adminJson(body, contentType), 415, 'unsupported_media_type');
    });
  });

  describe('OAuth form endpoints (RFC 6749 section 3.2, RFC 7662 section 2.1, RFC 7009 section 2.1)', () => {
    const endpoints = [
      ['/oauth/token', () => basicAuthorization(client.client_id, client.client_secret), 'grant_type=client_credentials'],
      ['/oauth/introspect', () => basicAuthorization(introspector.client_id, introspector.client_secret), 'token=abc'],
      ['/oauth/revoke', () => basicAuthorization(client.client_id, client.client_secret), 'token=abc'],
    ] as const;
    const post = (path: string, authorization: string, contentType: string, body: string | Buffer): Promise<Response> =>
      t.http().post(path).set('authorization', authorization).set('content-type', contentType).send(body);
    const FORM = 'application/x-www-form-urlencoded';

    it.each(endpoints)('%s refuses a body over its 16 KiB limit with invalid_request', async (path, auth, valid) => {
      const response = await post(path, auth(), FORM, `${valid}&pad=${'x'.repeat(FORM_LIMIT)}`);
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.body.error_description).toMatch(/too large/);
    });

    it.each(endpoints)('%s refuses a repeated parameter with invalid_request', async (path, auth, valid) => {
      expectOAuthError(await post(path, auth(), FORM, `${valid}&${valid}`), 400, 'invalid_request');
    });

    it.each(endpoints)('%s refuses malformed percent-encoding with invalid_request', async (path, auth, valid) => {
      expectOAuthError(await post(path, auth(), FORM, `${valid}%zz&x=%E0%A4%A`), 400, 'invalid_request');
    });

    it.each(endpoints)('%s refuses raw bytes that are not UTF-8 with invalid_request', async (path, auth, valid) => {
      expectOAuthError(
        await post(path, auth(), FORM, Buffer.concat([Buffer.from(`${valid}&x=`), Buffer.from([0xe9, 0xff])])),
        400,
        'invalid_request',
      );
    });

    it.each(endpoints)('%s refuses charset=latin1 with invalid_request', async (path, auth, valid) => {
      expectOAuthError(await post(path, auth(), `${FORM}; charset=latin1`, valid), 400, 'invalid_request');
    });

    it.each(endpoints)('%s refuses a JSON body with invalid_request', async (path, auth) => {
      expectOAuthError(
        await post(path, auth(), 'application/json', '{"token":"abc","grant_type":"client_credentials"}'),
        400,
        'invalid_request',
      );
    });

    it.each(endpoints)('%s refuses malformed JSON with invalid_request', async (path, auth) => {
      expectOAuthError(await post(path, auth(), 'application/json', '{"token":'), 400, 'invalid_request');
    });

    it.each(endpoints)('%s refuses more than 32 parameters with invalid_request', async (path, auth, valid) => {
      const many = Array.from({ length: 40 }, (_, i) => `p${i}=v`).join('&');
      expectOAuthError(await post(path, auth(), FORM, `${valid}&${many}`), 400, 'invalid_request');
    });

    it.each(endpoints)('%s ignores __proto__ and constructor parameters without polluting anything', async (path, auth, valid) => {
      const response = await post(
        path,
        auth(),
        FORM,
        `${valid}&__proto__=x&constructor%5Bprototype%5D%5Bpolluted%5D=1&__proto__%5Bpolluted%5D=1`,
      );
      expect(response.status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});

import type { Response } from 'supertest';
import {
  adminToken,
  basicAuthorization,
  createClient,
  createOrganization,
  type CreatedClient,
  DATA_SCOPES,
  obtainToken,
} from '../support/factories.js';
import { type Route, openApiPath, routesOf } from '../support/routes.js';
import type { TestApp } from '../support/test-app.js';
import { expectInvalidClient, expectOAuthError } from './support/expectations.js';
import { headerValues, rawGet, rawJson } from './support/raw-http.js';
import { countRows, startSecurityApp } from './support/security-app.js';

/** What an attacker types into every field: SQL, NUL bytes (encoded and raw), traversal, bidi overrides, bulk. */
const PAYLOADS: ReadonlyArray<readonly [string, string]> = [
  ['a quote tautology', "' OR '1'='1"],
  ['a stacked DROP', '1; DROP TABLE clients;--'],
  ['a UNION', "x' UNION SELECT client_id, client_name FROM clients--"],
  ['a literal %00', '%00'],
  ['a raw NUL byte', 'a\u0000b'],
  ['a path traversal', '../../etc/passwd'],
  ['a right-to-left override', 'admin\u202egnp.exe'],
  ['a LIKE wildcard', '%_%'],
  ['a 5,000-character string', 'x'.repeat(5000)],
];
/** Path segments are capped by the router (maxParamLength 200); bulk goes to its own case. */
const PATH_PAYLOADS = PAYLOADS.filter(([, value]) => value.length <= 200);
const UNKNOWN_ID = '00000000-0000-7000-8000-000000000000';
/**
 * No field takes a NUL character (PostgreSQL cannot even store one), so a NUL
 * payload is never stored: in the URL it is refused up front, whatever the
 * route (src/common/http/nul-in-url.ts); in a JSON field, by that field's validation.
 */
const carriesNul = (payload: string) => payload.includes('\u0000');
const NUL_IN_URL = { type: 'bad_url', detail: 'The URL contains a NUL character (%00), which no path or query parameter accepts.' };
const URI_TOO_LONG = { type: 'uri_too_long', detail: 'A path segment of the URL is too long.' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface OpenApiParameter {
  name: string;
  in: string;
  schema?: { type?: string; format?: string; enum?: unknown[]; pattern?: string };
}
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: OpenApiParameter[]; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** One refusal or acceptance, as a line a failing test prints. */
interface Outcome {
  route: string;
  where: string;
  payload: string;
  status: number;
  type: string | undefined;
}

/**
 * Injection through every parameter of every route Nest loaded: path, query
 * and JSON body fields of the admin and organization APIs, the headers the
 * API reads, and the OAuth form endpoints. Never a 500; each answer is the
 * exact one for its kind of route (400 validation problem, 404 not found, or
 * the value stored and returned literally); no header is injected; and the
 * database is intact afterwards.
 */
describe('SQL and header injection in every parameter (OWASP A03, RFC 9110 section 5.5)', () => {
  let t: TestApp;
  let admin: string;
  let data: string;
  let client: CreatedClient;
  let introspector: CreatedClient;
  let doc: OpenApiDocument;
  let routes: Route[];
  const before: Record<string, number> = {};
  const TABLES = ['clients', 'client_secrets', 'organizations', 'members', 'signing_keys'];

  beforeAll(async () => {
    t = await startSecurityApp();
    admin = await adminToken(t);
    const organization = await createOrganization(t, admin, 'Injection target');
    client = await createClient(t, admin, organization.id, { scope: `${DATA_SCOPES} sync:read` });
    introspector = await createClient(t, admin, organization.id, { introspection_allowed: true });
    data = await obtainToken(t, client.client_id, client.client_secret, `${DATA_SCOPES} sync:read`);
    expect(
      (await t.http().post('/api/v1/members').auth(data, { type: 'bearer' }).send({ user_name: 'ada', email: 'ada@example.com' })).status,
    ).toBe(201);
    doc = (await t.http().get('/docs/openapi.json')).body as OpenApiDocument;
    routes = routesOf(t).filter((route) => route.path.startsWith('/admin/') || route.path.startsWith('/api/'));
    for (const table of TABLES) before[table] = await countRows(t, table);
  });
  afterAll(() => t.close());

  const tokenFor = (route: Route) => (route.path.startsWith('/admin/') ? admin : data);
  const send = (route: Route, path: string, body?: unknown) => {
    const request = t.http()[route.method.toLowerCase() as 'get'](path).auth(tokenFor(route), { type: 'bearer' });
    return body === undefined ? request : request.send(body as object);
  };
  const withParams = (route: Route, value: string) => route.path.replace(/:[A-Za-z]+/g, encodeURIComponent(value));
  const operation = (route: Route) => doc.paths[openApiPath(route)]?.[route.method.toLowerCase()];
  const outcome = (route: Route, where: string, payload: string, response: Response): Outcome => ({
    route: `${route.method} ${route.path}`,
    where,
    payload: payload.slice(0, 40),
    status: response.status,
    type: (response.body as { type?: string }).type,
  });
  const isProblem = (response: Response, status: number, type: string) =>
    response.status === status &&
    /^application\/problem\+json\b/.test(String(response.headers['content-type'])) &&
    (response.body as { type?: string }).type === `urn:orgsync:problem:${type}`;
  /** A refusal made before any route runs: the exact problem, with the request ID to quote. */
  const isRefusal = (response: Response, status: number, refusal: { type: string; detail: string }) =>
    isProblem(response, status, refusal.type) &&
    (response.body as { detail?: string }).detail === refusal.detail &&
    (response.body as { request_id?: string }).request_id === response.headers['x-request-id'];

  it('walks the admin and organization routes, with their documented parameters', () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes)
      expect({ route: route.path, documented: operation(route) !== undefined }).toEqual({ route: route.path, documented: true });
  });

  it('answers a hostile path parameter as an ID that does not exist (404) or an invalid one (400), a NUL as a bad URL, never more', async () => {
    const wrong: Outcome[] = [];
    for (const route of routes.filter((r) => r.path.includes(':'))) {
      for (const [, payload] of PATH_PAYLOADS) {
        const response = await send(route, withParams(route, payload), route.hasBody ? {} : undefined);
        const answered = carriesNul(payload)
          ? isRefusal(response, 400, NUL_IN_URL)
          : isProblem(response, 404, 'not_found') || isProblem(response, 400, 'validation_failed');
        if (!answered) wrong.push(outcome(route, 'path', payload, response));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers an overlong path parameter with 414 as a problem document', async () => {
    const wrong: Outcome[] = [];
    for (const route of routes.filter((r) => r.path.includes(':'))) {
      const response = await send(route, withParams(route, 'x'.repeat(5000)), route.hasBody ? {} : undefined);
      if (!isRefusal(response, 414, URI_TOO_LONG)) wrong.push(outcome(route, 'path', 'x * 5000', response));
    }
    expect(wrong).toEqual([]);
  });

  it('answers a hostile query parameter with a 400 naming it, or with an empty page (a filter matching nothing), a NUL as a bad URL', async () => {
    const wrong: Outcome[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const query = (operation(route)?.parameters ?? []).filter((parameter) => parameter.in === 'query');
      for (const parameter of query) {
        for (const [, payload] of PAYLOADS) {
          const response = await send(route, `${withParams(route, UNKNOWN_ID)}?${parameter.name}=${encodeURIComponent(payload)}`);
          const errors = (response.body as { errors?: Array<{ field: string }> }).errors ?? [];
          const refused = isProblem(response, 400, 'validation_failed') && errors.some((error) => error.field === parameter.name);
          const emptyPage = response.status === 200 && Array.isArray(response.body.data) && response.body.data.length === 0;
          const unknownId = route.path.includes(':') && isProblem(response, 404, 'not_found');
          const answered = carriesNul(payload) ? isRefusal(response, 400, NUL_IN_URL) : refused || emptyPage || unknownId;
          if (!answered) wrong.push(outcome(route, `query ${parameter.name}`, payload, response));
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a hostile JSON field with a 400 validation problem, a 404 for the unknown ID, or stores it literally; never stores a NUL', async () => {
    const wrong: Outcome[] = [];
    for (const route of routes.filter((r) => r.hasBody)) {
      const ref = operation(route)?.requestBody?.content?.['application/json']?.schema?.$ref;
      const fields = Object.keys((ref && doc.components.schemas[ref.split('/').pop()!]?.properties) ?? {});
      for (const field of fields) {
        let storesText = false;
        const withNul: Array<[string, Response]> = [];
        for (const [, payload] of PAYLOADS) {
          const response = await send(route, withParams(route, UNKNOWN_ID), { [field]: payload });
          if (carriesNul(payload)) {
            withNul.push([payload, response]);
            continue;
          }
          const stored = response.status >= 200 && response.status < 300 && (response.body as Record<string, unknown>)[field] === payload;
          storesText ||= stored;
          if (!stored && !isProblem(response, 404, 'not_found') && !isProblem(response, 400, 'validation_failed')) {
            wrong.push(outcome(route, `body ${field}`, payload, response));
          }
        }
        // A field that stores the other payloads literally refuses a NUL itself, naming the field;
        // any other field is refused as for the other payloads. No NUL is ever stored.
        for (const [payload, response] of withNul) {
          const errors = (response.body as { errors?: Array<{ field: string }> }).errors ?? [];
          const refused = storesText
            ? isProblem(response, 400, 'validation_failed') && errors.some((error) => error.field === field)
            : isProblem(response, 404, 'not_found') || isProblem(response, 400, 'validation_failed');
          if (!refused) wrong.push(outcome(route, `body ${field}`, payload, response));
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('stores SQL in a member’s fields as plain text and finds it only by exact match', async () => {
    const hostile = {
      user_name: "robert'); DROP TABLE members;--",
      email: "o'hara@example.com",
      display_name: "' OR '1'='1",
      title: '%_%',
    };
    const created = await t.http().post('/api/v1/members').auth(data, { type: 'bearer' }).send(hostile);
    expect(created.status).toBe(201);
    const read = await t.http().get(`/api/v1/members/${created.body.id}`).auth(data, { type: 'bearer' });
    expect(read.body).toMatchObject(hostile);
    const byEmail = await t
      .http()
      .get(`/api/v1/members?email=${encodeURIComponent("o'hara@example.com")}`)
      .auth(data, { type: 'bearer' });
    expect(byEmail.body.data.map((m: { id: string }) => m.id)).toEqual([created.body.id]);
    const tautology = await t
      .http()
      .get(`/api/v1/members?email=${encodeURIComponent("' OR '1'='1")}`)
      .auth(data, { type: 'bearer' });
    expect(tautology.status).toBe(200);
    expect(tautology.body.data).toEqual([]);
  });

  describe('header injection (RFC 9110 section 5.5: CR and LF are never part of a field value)', () => {
    const organizationPath = '/api/v1/organization';
    const bearer = () => `Authorization: Bearer ${data}`;

    it('echoes a plain X-Request-Id (the control)', async () => {
      const response = await rawGet(t.baseUrl, organizationPath, [bearer(), 'X-Request-Id: trace-123']);
      expect(response.status).toBe(200);
      expect(headerValues(response, 'x-request-id')).toEqual(['trace-123']);
    });

    it('ends the header at a CRLF: the smuggled Set-Cookie is a request header and never reaches the response', async () => {
      const response = await rawGet(t.baseUrl, organizationPath, [bearer(), 'X-Request-Id: abc\r\nSet-Cookie: injected=1']);
      expect(response.status).toBe(200);
      expect(headerValues(response, 'set-cookie')).toEqual([]);
      expect(headerValues(response, 'x-request-id')).toEqual(['abc']);
    });

    it.each([
      ['percent-encoded CRLF', 'abc%0d%0aSet-Cookie:%20x=1'],
      ['SQL', "' OR '1'='1"],
      ['markup', '<script>alert(1)</script>'],
      ['a right-to-left override', 'abc\u202efdp'],
      ['a 500-character value', 'r'.repeat(500)],
    ])('replaces an X-Request-Id carrying %s with a generated UUID', async (_label, value) => {
      const response = await rawGet(t.baseUrl, organizationPath, [bearer(), `X-Request-Id: ${value}`]);
      expect(response.status).toBe(200);
      expect(headerValues(response, 'x-request-id')).toEqual([expect.stringMatching(UUID)]);
      expect(headerValues(response, 'set-cookie')).toEqual([]);
    });

    it('refuses a bare CR or LF inside a header value at the HTTP layer, injecting nothing', async () => {
      for (const value of ['abc\rSet-Cookie: x=1', 'abc\nSet-Cookie: x=1']) {
        const response = await rawGet(t.baseUrl, organizationPath, [bearer(), `X-Request-Id: ${value}`]);
        expect(response.status).toBe(400);
        expect(headerValues(response, 'set-cookie')).toEqual([]);
      }
    });

    it('answers a path carrying encoded CRLF with a 404 problem and no injected header', async () => {
      const response = await rawGet(t.baseUrl, '/api/v1/members/x%0d%0aSet-Cookie:%20injected=1', [bearer()]);
      expect(response.status).toBe(404);
      expect(headerValues(response, 'set-cookie')).toEqual([]);
      expect(headerValues(response, 'content-type')).toEqual([expect.stringMatching(/^application\/problem\+json/)]);
    });

    it.each([
      ['SQL', "'OR'1'='1;DROP/**/TABLE/**/idempotency_records;--"],
      ['a traversal', '../../etc/passwd'],
    ])('treats an Idempotency-Key carrying %s as an opaque key: the retry replays, nothing else happens', async (_label, key) => {
      const body = { user_name: `idem-${key.length}`, email: `idem${key.length}@example.com` };
      const first = await t.http().post('/api/v1/members').auth(data, { type: 'bearer' }).set('idempotency-key', key).send(body);
      const retry = await t.http().post('/api/v1/members').auth(data, { type: 'bearer' }).set('idempotency-key', key).send(body);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.id).toBe(first.body.id);
    });

    it.each([
      ['a right-to-left override', 'key\u202e'],
      ['a non-ASCII letter', 'clé'],
      ['a 300-character value', 'k'.repeat(300)],
    ])('refuses an Idempotency-Key carrying %s with a 400 validation problem, creating nothing', async (_label, key) => {
      const members = await countRows(t, 'members');
      const response = await rawJson(t.baseUrl, 'POST', '/api/v1/members', [bearer(), `Idempotency-Key: ${key}`], {
        user_name: 'never',
        email: 'never@example.com',
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ type: 'urn:orgsync:problem:validation_failed' });
      expect(await countRows(t, 'members')).toBe(members);
    });

    it('answers an Idempotency-Key with CRLF without the injected header', async () => {
      const response = await rawGet(t.baseUrl, '/api/v1/members', [bearer(), 'Idempotency-Key: k\r\nSet-Cookie: injected=1']);
      expect(response.status).toBe(200);
      expect(headerValues(response, 'set-cookie')).toEqual([]);
    });

    it('treats SQL in If-None-Match as a non-matching entity tag (200) and in If-Match as a failed precondition (412)', async () => {
      const member = (await t.http().get('/api/v1/members').auth(data, { type: 'bearer' })).body.data[0];
      const hostile = `"' OR '1'='1"`;
      expect((await t.http().get(`/api/v1/members/${member.id}`).auth(data, { type: 'bearer' }).set('if-none-match', hostile)).status).toBe(
        200,
      );
      const patched = await t
        .http()
        .patch(`/api/v1/members/${member.id}`)
        .auth(data, { type: 'bearer' })
        .set('if-match', hostile)
        .send({ title: 'x' });
      expect(isProblem(patched, 412, 'precondition_failed')).toBe(true);
    });
  });

  describe('the OAuth form endpoints (RFC 6749 section 5.2, RFC 7662 section 2.2, RFC 7009 section 2.2)', () => {
    const form = (path: string, authorization: string | undefined, fields: Record<string, string>) => {
      const request = t.http().post(path).type('form');
      return (authorization ? request.set('authorization', authorization) : request).send(fields);
    };
    const asClient = () => basicAuthorization(client.client_id, client.client_secret);

    it.each(PAYLOADS)('refuses %s as grant_type with unsupported_grant_type', async (_label, payload) => {
      expectOAuthError(await form('/oauth/token', asClient(), { grant_type: payload }), 400, 'unsupported_grant_type');
    });

    it.each(PAYLOADS)('refuses %s as scope with invalid_scope', async (_label, payload) => {
      expectOAuthError(await form('/oauth/token', asClient(), { grant_type: 'client_credentials', scope: payload }), 400, 'invalid_scope');
    });

    it.each(PAYLOADS)('refuses %s as client_id with invalid_client (Basic and body)', async (_label, payload) => {
      expectInvalidClient(
        await form('/oauth/token', basicAuthorization(payload, client.client_secret), { grant_type: 'client_credentials' }),
      );
      expectInvalidClient(
        await form('/oauth/token', undefined, {
          grant_type: 'client_credentials',
          client_id: payload,
          client_secret: client.client_secret,
        }),
      );
    });

    it.each(PAYLOADS)('refuses %s as client_secret with invalid_client', async (_label, payload) => {
      expectInvalidClient(await form('/oauth/token', basicAuthorization(client.client_id, payload), { grant_type: 'client_credentials' }));
    });

    it.each(PAYLOADS)('reports %s as token at introspection as inactive', async (_label, payload) => {
      const response = await form('/oauth/introspect', basicAuthorization(introspector.client_id, introspector.client_secret), {
        token: payload,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ active: false });
    });

    it.each(PAYLOADS)('accepts %s as token at revocation with the empty 200 of RFC 7009 section 2.2', async (_label, payload) => {
      const response = await form('/oauth/revoke', asClient(), { token: payload, token_type_hint: payload });
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    });
  });

  it('keeps the audit trail whole when a request smuggles a NUL byte into what gets audited', async () => {
    const probe = `audit-probe-${Date.now()}`;
    const smuggled = await t
      .http()
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'evil\u0000', client_secret: 'x' });
    expectInvalidClient(smuggled);
    const genuine = await t
      .http()
      .post('/oauth/token')
      .set('x-request-id', probe)
      .set('authorization', basicAuthorization(client.client_id, client.client_secret))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(genuine.status).toBe(200);
    // The audit log writes in the background, in batches: poll (with a deadline) for the genuine event.
    const deadline = Date.now() + 8_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      const events = await t.http().get(`/admin/audit-events?client_id=${client.client_id}&limit=100`).auth(admin, { type: 'bearer' });
      found = events.status === 200 && JSON.stringify(events.body).includes(probe);
      if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found).toBe(true);
  });

  it('leaves the database intact: every table still there with the rows it should have', async () => {
    const after: Record<string, number> = {};
    for (const table of TABLES) after[table] = await countRows(t, table);
    // The literal-storage cases above add members (and organizations through POST /admin/organizations); nothing else may change.
    expect({ clients: after.clients, client_secrets: after.client_secrets, signing_keys: after.signing_keys }).toEqual({
      clients: before.clients,
      client_secrets: before.client_secrets,
      signing_keys: before.signing_keys,
    });
    expect(after.organizations).toBeGreaterThanOrEqual(before.organizations!);
    expect(after.members).toBeGreaterThanOrEqual(before.members!);
    expect((await t.http().get('/api/v1/members?limit=100').auth(data, { type: 'bearer' })).status).toBe(200);
    expect(
      (
        await t
          .http()
          .post('/oauth/token')
          .set('authorization', basicAuthorization(client.client_id, client.client_secret))
          .type('form')
          .send({ grant_type: 'client_credentials' })
      ).status,
    ).toBe(200);
  });
});

import { jest } from '@jest/globals';
import { SwaggerModule } from '@nestjs/swagger';
import { SCOPE_CATALOGUE } from '../../src/common/scopes.js';
import { organizationWithClient } from '../support/factories.js';
import { openApiPath, type Route, routesOf } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The parts of an OpenAPI 3.0 document these tests read, as the JSON they receive. */
interface Schema {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
}
type Content = Record<string, { schema: Schema }>;
interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: { content: Content };
  responses: Record<string, { content?: Content }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, { type: string; flows: Record<string, { tokenUrl: string; scopes: Record<string, string> }> }>;
  };
}

describe('the OpenAPI document and Swagger UI', () => {
  let t: TestApp;
  let document: Document;
  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/docs/openapi.json')).body as Document;
  });
  afterAll(() => t.close());

  const operationOf = (route: Route): Operation | undefined => document.paths[openApiPath(route)]?.[route.method.toLowerCase()];
  const operationFor = (method: string, path: string): Operation => {
    const operation = document.paths[path]?.[method];
    if (!operation) throw new Error(`${method} ${path} is not documented`);
    return operation;
  };
  const schemaAt = (ref: string | undefined): Schema => {
    const schema = document.components.schemas[ref?.replace('#/components/schemas/', '') ?? ''];
    if (!schema) throw new Error(`${ref} is not in components.schemas`);
    return schema;
  };
  const jsonBodyRef = (operation: Operation | undefined): string | undefined =>
    operation?.requestBody?.content['application/json']?.schema.$ref;
  const responseRef = (operation: Operation, status: string, mediaType = 'application/json'): string | undefined =>
    operation.responses[status]?.content?.[mediaType]?.schema.$ref;

  it('serves the document as OpenAPI 3 JSON without a token, with a request ID', async () => {
    const response = await t.http().get('/docs/openapi.json');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'orgsync', version: expect.any(String) });
  });

  it('offers the client credentials flow at this server’s token endpoint, with every scope of the catalogue', () => {
    const scheme = document.components.securitySchemes.oauth2;
    expect(scheme?.type).toBe('oauth2');
    expect(scheme?.flows).toEqual({ clientCredentials: { tokenUrl: `${t.baseUrl}/oauth/token`, scopes: SCOPE_CATALOGUE } });
  });

  it('documents every route the app serves, under its method and path', () => {
    const routes = routesOf(t);
    expect(routes.length).toBeGreaterThan(10);
    const undocumented = routes.filter((route) => !operationOf(route)).map((route) => `${route.method} ${route.path}`);
    expect(undocumented).toEqual([]);
  });

  it('documents no route the app does not serve', () => {
    const served = new Set(routesOf(t).map((route) => `${route.method.toLowerCase()} ${openApiPath(route)}`));
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'].filter((method) => method in item).map((method) => `${method} ${path}`),
    );
    expect(documented.filter((operation) => !served.has(operation))).toEqual([]);
  });

  it('declares exactly the required scopes of each scoped route, and no security on public routes', () => {
    expect(document.security ?? []).toEqual([]);
    const declared = routesOf(t).map((route) => ({ route: `${route.method} ${route.path}`, security: operationOf(route)?.security ?? [] }));
    const expected = routesOf(t).map((route) => ({
      route: `${route.method} ${route.path}`,
      security: route.isPublic ? [] : [{ oauth2: route.scopes }],
    }));
    expect(declared).toEqual(expected);
  });

  it('documents 401 and 403 as problem documents on every scoped route', () => {
    for (const route of routesOf(t).filter((candidate) => !candidate.isPublic)) {
      const responses = operationOf(route)?.responses ?? {};
      for (const status of ['401', '403']) {
        expect({ route: `${route.method} ${route.path}`, status, content: responses[status]?.content }).toEqual({
          route: `${route.method} ${route.path}`,
          status,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDocument' } } },
        });
      }
    }
    expect(schemaAt('#/components/schemas/ProblemDocument')).toMatchObject({
      required: expect.arrayContaining(['type', 'title', 'status']),
      properties: { errors: { type: 'array', items: { $ref: '#/components/schemas/ProblemFieldError' } } },
    });
  });

  it('gives the JSON body of every route that takes a @Body() a schema of its own', () => {
    const withBody = routesOf(t).filter((route) => route.hasBody);
    expect(withBody.length).toBeGreaterThan(0);
    for (const route of withBody) {
      expect(schemaAt(jsonBodyRef(operationOf(route)))).toEqual(expect.objectContaining({ type: 'object' }));
    }
  });

  it('documents the fields of every JSON body', () => {
    const withBody = routesOf(t).filter((route) => route.hasBody);
    expect(withBody.length).toBeGreaterThan(0);
    for (const route of withBody) {
      const fields = Object.keys(schemaAt(jsonBodyRef(operationOf(route))).properties ?? {});
      expect({ route: `${route.method} ${route.path}`, documented: fields.length > 0 }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true,
      });
    }
  });

  it.each([
    ['/admin/organizations', ['name'], ['platform']],
    ['/admin/organizations/{organizationId}/clients', ['client_name', 'scope'], ['default_scope', 'access_token_ttl']],
  ])('names the required fields of the body of POST %s', (path, required, optional) => {
    const schema = schemaAt(jsonBodyRef(operationFor('post', path)));
    expect([...(schema.required ?? [])].sort()).toEqual([...required].sort());
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining([...required, ...optional]));
  });

  it('documents the admin responses as schemas with their fields', () => {
    const created = schemaAt(responseRef(operationFor('post', '/admin/organizations/{organizationId}/clients'), '201'));
    expect(created.required).toEqual(expect.arrayContaining(['client_id', 'scope']));
    // Not required: a private_key_jwt client is issued no secret (RFC 7591 section 3.2.1).
    expect(created.properties).toHaveProperty('client_secret');
    expect(schemaAt(responseRef(operationFor('get', '/admin/organizations'), '200')).properties).toMatchObject({
      data: { type: 'array', items: { $ref: '#/components/schemas/OrganizationResponse' } },
      next_cursor: { type: 'string', nullable: true },
    });
  });

  it('documents the token endpoint as a form post answering RFC 6749 tokens and errors', () => {
    const token = operationFor('post', '/oauth/token');
    const form = token.requestBody?.content['application/x-www-form-urlencoded'];
    expect(Object.keys(token.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded']);
    expect(Object.keys(schemaAt(form?.schema.$ref).properties ?? {}).sort()).toEqual([
      'client_assertion',
      'client_assertion_type',
      'client_id',
      'client_secret',
      'grant_type',
      'scope',
    ]);
    const schemaOf = (status: string) => schemaAt(responseRef(token, status));
    expect(schemaOf('200').required).toEqual(expect.arrayContaining(['access_token', 'token_type', 'expires_in']));
    expect(schemaOf('400').required).toEqual(expect.arrayContaining(['error']));
    expect(schemaOf('401').properties?.error).toMatchObject({ enum: expect.arrayContaining(['invalid_client']) });
  });

  it('serves Swagger UI without a token, with its assets and the client credentials flow', async () => {
    const page = await t.http().get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['x-request-id']).toEqual(expect.any(String));
    expect(page.text).toContain('swagger-ui');

    const init = await t.http().get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('clientCredentials');
    const bundle = await t.http().get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['x-request-id']).toEqual(expect.any(String));
  });

  it.each([
    ['the scopes ticked', 'org%3Aread', 'org:read'],
    ['no scope ticked', '', 'org:read members:read'],
  ])('grants a token to the request Swagger UI’s Authorize sends, with %s', async (_case, scope, granted) => {
    const { client } = await organizationWithClient(t);
    // swagger-ui's authorizeApplication: Basic over the raw ID and secret, and these headers and form fields.
    const response = await t
      .http()
      .post('/oauth/token')
      .set('authorization', `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`)
      .set('accept', 'application/json, text/plain, */*')
      .set('x-requested-with', 'XMLHttpRequest')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`grant_type=client_credentials&scope=${scope}`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'Bearer', scope: granted });
  });

  it.each(['/docs/no-such-file.js', '/docsx', '/no/such/route'])(
    'still answers the unknown path %s with a 404 problem document',
    async (path) => {
      const response = await t.http().get(path);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
      expect(response.body).toMatchObject({ status: 404, instance: path, request_id: response.headers['x-request-id'] });
    },
  );
});

/** Start-up does not pay for a document most processes never serve. */
describe('the OpenAPI document is built on demand', () => {
  let t: TestApp;
  let createDocument: jest.SpiedFunction<typeof SwaggerModule.createDocument>;
  beforeAll(async () => {
    createDocument = jest.spyOn(SwaggerModule, 'createDocument');
    t = await startTestApp();
  });
  afterAll(async () => {
    createDocument.mockRestore();
    await t.close();
  });

  it('on the first request for it, not at start-up, and only once', async () => {
    expect(createDocument).not.toHaveBeenCalled();

    const first = await t.http().get('/docs/openapi.json');
    const second = await t.http().get('/docs/swagger-ui-init.js');

    expect(first.status).toBe(200);
    expect((first.body as Document).paths).toHaveProperty(['/api/v1/members']);
    expect(second.status).toBe(200);
    expect(createDocument).toHaveBeenCalledTimes(1);
  });
});

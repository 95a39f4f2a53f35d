import type request from 'supertest';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestApp } from './test-app.js';

/** Anything the factories can send requests to: a test app, or orgsync running as a child process. */
export type HttpTarget = Pick<TestApp, 'http'>;

export interface CreatedClient {
  client_id: string;
  client_secret: string;
  organization_id: string;
  scope: string;
  default_scope: string;
  token_endpoint_auth_method: string;
  status: string;
}

/** RFC 6749 section 2.3.1 / Appendix B: form-urlencode id and secret, then Basic (RFC 7617). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

export async function obtainToken(t: HttpTarget, clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const response = await t
    .http()
    .post('/oauth/token')
    .set('authorization', basicAuthorization(clientId, clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { access_token: string }).access_token;
}

export function adminToken(t: HttpTarget): Promise<string> {
  return obtainToken(t, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET);
}

export async function createOrganization(t: HttpTarget, token: string, name = 'Acme Corp'): Promise<{ id: string; name: string }> {
  const response = await t.http().post('/admin/organizations').auth(token, { type: 'bearer' }).send({ name });
  if (response.status !== 201) throw new Error(`create organization failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string };
}

export async function createClient(
  t: HttpTarget,
  token: string,
  organizationId: string,
  metadata: Record<string, unknown> = {},
): Promise<CreatedClient> {
  const response = await t
    .http()
    .post(`/admin/organizations/${organizationId}/clients`)
    .auth(token, { type: 'bearer' })
    .send({ client_name: 'Partner integration', scope: 'org:read members:read', ...metadata });
  if (response.status !== 201) throw new Error(`create client failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CreatedClient;
}

/** An organization with one client, ready to obtain tokens. */
export async function organizationWithClient(
  t: HttpTarget,
  metadata: Record<string, unknown> = {},
): Promise<{ admin: string; organizationId: string; client: CreatedClient }> {
  const admin = await adminToken(t);
  const organization = await createOrganization(t, admin);
  const client = await createClient(t, admin, organization.id, metadata);
  return { admin, organizationId: organization.id, client };
}

/** A token request with client_secret_basic whose response is returned as is, refusals included. */
export function requestToken(t: HttpTarget, clientId: string, clientSecret: string, scope?: string): request.Test {
  return t
    .http()
    .post('/oauth/token')
    .set('authorization', basicAuthorization(clientId, clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
}

/** A token request with client_secret_post (RFC 6749 section 2.3.1: credentials in the form body). */
export function requestTokenWithPost(t: HttpTarget, clientId: string, clientSecret: string, scope?: string): request.Test {
  return t
    .http()
    .post('/oauth/token')
    .type('form')
    .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, ...(scope ? { scope } : {}) });
}

/** An organization whose clients may hold the admin scope. */
export async function createPlatformOrganization(
  t: HttpTarget,
  token: string,
  name = 'Second Platform',
): Promise<{ id: string; name: string }> {
  const response = await t.http().post('/admin/organizations').auth(token, { type: 'bearer' }).send({ name, platform: true });
  if (response.status !== 201) throw new Error(`create organization failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string };
}

/** A valid token of an ordinary organization's client: everything but admin. */
export async function nonAdminToken(t: HttpTarget): Promise<string> {
  const { client } = await organizationWithClient(t);
  return obtainToken(t, client.client_id, client.client_secret, 'org:read');
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  request_id: string;
  errors?: { field: string; message: string }[];
}

/**
 * Asserts an RFC 9457 problem response: the media type, the members every
 * problem carries, the status in the body matching the response's, and no
 * trace of the server's internals. Returns the body for further checks.
 */
export function expectProblem(response: request.Response, status: number, type: string): ProblemBody {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json\b/);
  const body = JSON.parse(response.text) as ProblemBody;
  expect(body).toMatchObject({
    type: `urn:orgsync:problem:${type}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.stringMatching(/^\//),
    request_id: response.headers['x-request-id'],
  });
  expectNoInternals(response);
  return body;
}

/** No stack frame, source path, SQL or driver error ever reaches a client. */
export function expectNoInternals(response: request.Response): void {
  expect(response.text).not.toMatch(
    /\n\s+at |\bat [\w.<>]+ \(|node_modules|\.[jt]s:\d+|"stack"|QueryFailedError|SQLITE_|\bSELECT\b|\bINSERT\b/,
  );
}

export const DATA_SCOPES = 'org:read members:read members:write groups:read groups:write';

/** An organization and a token for its data APIs, with the scopes asked for (all data scopes by default). */
export async function organizationToken(
  t: HttpTarget,
  scope = DATA_SCOPES,
  name = 'Acme Corp',
): Promise<{ organizationId: string; token: string }> {
  const admin = await adminToken(t);
  const organization = await createOrganization(t, admin, name);
  const client = await createClient(t, admin, organization.id, { scope: DATA_SCOPES });
  return { organizationId: organization.id, token: await obtainToken(t, client.client_id, client.client_secret, scope) };
}

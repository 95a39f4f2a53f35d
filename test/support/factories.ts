import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestApp } from './test-app.js';

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

export async function obtainToken(t: TestApp, clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const response = await t
    .http()
    .post('/oauth/token')
    .set('authorization', basicAuthorization(clientId, clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { access_token: string }).access_token;
}

export function adminToken(t: TestApp): Promise<string> {
  return obtainToken(t, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET);
}

export async function createOrganization(t: TestApp, token: string, name = 'Acme Corp'): Promise<{ id: string; name: string }> {
  const response = await t.http().post('/admin/organizations').auth(token, { type: 'bearer' }).send({ name });
  if (response.status !== 201) throw new Error(`create organization failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string };
}

export async function createClient(
  t: TestApp,
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
  t: TestApp,
  metadata: Record<string, unknown> = {},
): Promise<{ admin: string; organizationId: string; client: CreatedClient }> {
  const admin = await adminToken(t);
  const organization = await createOrganization(t, admin);
  const client = await createClient(t, admin, organization.id, metadata);
  return { admin, organizationId: organization.id, client };
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadMeasurement, type LoadOptions, type LoadRequest, measureLoad } from '../load/autocannon-run.js';
import { OIDC_REFERENCE_AUDIENCE } from '../reference/oidc-provider-settings.js';
import { type LoadRow, oidcProviderRowId } from '../results.js';
import { type ChildServer, startChildServer } from '../servers/child-server.js';
import { basicAuthorization, decodeJwt, FORM_CONTENT_TYPE, TOKEN_REQUEST_BODY } from './jwt-check.js';

const BARE_HTTP = fileURLToPath(new URL('../reference/bare-http-server.js', import.meta.url));
const OIDC_PROVIDER = fileURLToPath(new URL('../reference/oidc-provider-server.js', import.meta.url));

/** node:http answering a fixed body: the ceiling of one Node process under this load generator. */
export async function bareHttpRow(dir: string, load: LoadOptions): Promise<LoadRow> {
  const server = await startChildServer({ name: 'node:http', script: BARE_HTTP, readyPath: '/', logFile: join(dir, 'bare-http.log') });
  try {
    const measurement = await measureLoad({ url: `${server.url}/` }, server.pid, load);
    return {
      id: 'reference/node:http',
      scenario: 'reference',
      title: 'GET / (fixed body)',
      server: 'node:http',
      database: null,
      measurement,
    };
  } finally {
    await server.stop();
  }
}

/** node-oidc-provider started and checked, ready for load; the caller stops it. */
export interface OidcProviderTarget {
  readonly server: ChildServer;
  readonly request: LoadRequest & { readonly headers: Record<string, string>; readonly body: string };
}

/**
 * node-oidc-provider issuing ES256 JWT access tokens to a client_secret_basic
 * client: the same request as orgsync's token row. Checked first: one request
 * must come back 200 with an ES256 at+jwt for the configured audience.
 */
export async function startOidcProvider(dir: string, logName = 'oidc-provider.log'): Promise<OidcProviderTarget> {
  const clientId = 'bench-client';
  const clientSecret = randomBytes(32).toString('base64url');
  const server = await startChildServer({
    name: 'oidc-provider',
    script: OIDC_PROVIDER,
    readyPath: '/.well-known/openid-configuration',
    logFile: join(dir, logName),
    env: { BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret },
  });
  const request = {
    url: `${server.url}/token`,
    method: 'POST' as const,
    headers: { authorization: basicAuthorization(clientId, clientSecret), 'content-type': FORM_CONTENT_TYPE },
    body: TOKEN_REQUEST_BODY,
  };
  try {
    await expectJwtAccessToken(request);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, request };
}

/** The oidc-provider row measured on its own, before any orgsync row. */
export async function oidcProviderRow(dir: string, load: LoadOptions): Promise<LoadRow> {
  const { server, request } = await startOidcProvider(dir);
  try {
    return oidcProviderLoadRow(await measureLoad(request, server.pid, load));
  } finally {
    await server.stop();
  }
}

/**
 * The oidc-provider row; with `alongside`, the database whose token row it was
 * measured with in alternating slices (its id then comes from oidcProviderRowId).
 */
export function oidcProviderLoadRow(
  measurement: LoadMeasurement,
  alongside?: { database: string; slices: readonly LoadMeasurement[] },
): LoadRow {
  const title = 'POST /token (client_secret_basic, ES256 JWT)';
  return {
    id: alongside ? oidcProviderRowId(alongside.database) : 'reference/oidc-provider',
    scenario: 'reference',
    title: alongside ? `${title}, alongside the ${alongside.database} token row` : title,
    server: 'oidc-provider',
    database: null,
    measurement,
    ...(alongside ? { slices: alongside.slices } : {}),
  };
}

async function expectJwtAccessToken(request: { url: string; headers: Record<string, string>; body: string }): Promise<void> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const body = (await response.json()) as { access_token?: string; token_type?: string };
  const jwt = body.access_token === undefined ? undefined : decodeJwt(body.access_token);
  if (response.status !== 200 || !jwt || jwt.header.alg !== 'ES256' || jwt.claims.aud !== OIDC_REFERENCE_AUDIENCE) {
    throw new Error(`oidc-provider did not issue an ES256 JWT access token: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

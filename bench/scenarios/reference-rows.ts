import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadOptions, measureLoad } from '../load/autocannon-run.js';
import { OIDC_REFERENCE_AUDIENCE } from '../reference/oidc-provider-settings.js';
import type { LoadRow } from '../results.js';
import { startChildServer } from '../servers/child-server.js';
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

/**
 * node-oidc-provider issuing ES256 JWT access tokens to a client_secret_basic
 * client: the same request as orgsync's token row. Checked first: one request
 * must come back 200 with an ES256 at+jwt for the configured audience.
 */
export async function oidcProviderRow(dir: string, load: LoadOptions): Promise<LoadRow> {
  const clientId = 'bench-client';
  const clientSecret = randomBytes(32).toString('base64url');
  const server = await startChildServer({
    name: 'oidc-provider',
    script: OIDC_PROVIDER,
    readyPath: '/.well-known/openid-configuration',
    logFile: join(dir, 'oidc-provider.log'),
    env: { BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret },
  });
  try {
    const request = {
      url: `${server.url}/token`,
      method: 'POST' as const,
      headers: { authorization: basicAuthorization(clientId, clientSecret), 'content-type': FORM_CONTENT_TYPE },
      body: TOKEN_REQUEST_BODY,
    };
    await expectJwtAccessToken(request);
    const measurement = await measureLoad(request, server.pid, load);
    return {
      id: 'reference/oidc-provider',
      scenario: 'reference',
      title: 'POST /token (client_secret_basic, ES256 JWT)',
      server: 'oidc-provider',
      database: null,
      measurement,
    };
  } finally {
    await server.stop();
  }
}

async function expectJwtAccessToken(request: { url: string; headers: Record<string, string>; body: string }): Promise<void> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const body = (await response.json()) as { access_token?: string; token_type?: string };
  const jwt = body.access_token === undefined ? undefined : decodeJwt(body.access_token);
  if (response.status !== 200 || !jwt || jwt.header.alg !== 'ES256' || jwt.claims.aud !== OIDC_REFERENCE_AUDIENCE) {
    throw new Error(`oidc-provider did not issue an ES256 JWT access token: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

/**
 * Reference row: node-oidc-provider (panva, a certified OpenID provider)
 * issuing client-credentials access tokens as JWTs signed with ES256, the
 * same work orgsync's token endpoint does: authenticate a client by
 * client_secret_basic, resolve the scope and audience, sign an RFC 9068 token.
 * Run as its own process by the harness, in production mode, with PORT,
 * ISSUER, BENCH_CLIENT_ID and BENCH_CLIENT_SECRET from the environment.
 */
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';
import { OIDC_REFERENCE_AUDIENCE, OIDC_REFERENCE_SCOPE } from './oidc-provider-settings.js';

const issuer = required('ISSUER');
const signingKey = {
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  kid: 'bench-es256',
  alg: 'ES256',
  use: 'sig',
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: required('BENCH_CLIENT_ID'),
      client_secret: required('BENCH_CLIENT_SECRET'),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: OIDC_REFERENCE_SCOPE,
      // The only key is ES256; client metadata defaults to RS256 and is checked against the keys at start.
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [signingKey] },
  scopes: [OIDC_REFERENCE_SCOPE],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // RFC 8707: a token for one resource server, whose settings make the access token a JWT (RFC 9068).
    resourceIndicators: {
      enabled: true,
      defaultResource: () => OIDC_REFERENCE_AUDIENCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: OIDC_REFERENCE_SCOPE,
        audience: OIDC_REFERENCE_AUDIENCE,
        accessTokenTTL: 600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

const server = provider.listen(Number(required('PORT')), process.env.HOST ?? '127.0.0.1');
server.keepAliveTimeout = 60_000;
process.once('SIGTERM', () => server.close(() => process.exit(0)));

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

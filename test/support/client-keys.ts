import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type SigningKey = Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];

/** A partner's signing key: the private half signs assertions, the public JWK is registered. */
export interface ClientKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: SigningKey;
  readonly publicJwk: jose.JWK;
}

export async function clientKey(alg: 'ES256' | 'RS256' | 'EdDSA' | 'PS256' = 'ES256'): Promise<ClientKey> {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { alg, kid, privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export function jwksOf(...keys: ClientKey[]): { keys: jose.JWK[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}

export interface AssertionOptions {
  readonly audience?: string | string[];
  readonly issuer?: string;
  readonly subject?: string;
  /** Seconds from now, or null for no exp. */
  readonly expiresIn?: number | null;
  /** null for no jti. */
  readonly jti?: string | null;
  readonly iat?: number;
  readonly kid?: string;
}

/** A client assertion signed by hand with jose (RFC 7523 section 3), valid unless the options say otherwise. */
export function signAssertion(key: ClientKey, clientId: string, audience: string, options: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: jose.JWTPayload = {
    iss: options.issuer ?? clientId,
    sub: options.subject ?? clientId,
    aud: options.audience ?? audience,
    iat: options.iat ?? now,
  };
  if (options.expiresIn !== null) claims.exp = now + (options.expiresIn ?? 60);
  if (options.jti !== null) claims.jti = options.jti ?? randomUUID();
  return new jose.SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid }).sign(key.privateKey);
}

/** A JWK Set served on 127.0.0.1, as a partner publishes one at its jwks_uri; counts fetches. */
export interface JwksServer {
  readonly url: string;
  fetches: number;
  /** What the next fetches get: a key set, or a misbehaviour. */
  serve(response: { keys: jose.JWK[] } | 'hang' | 'error' | 'not-json'): void;
  close(): Promise<void>;
}

export async function startJwksServer(initial: { keys: jose.JWK[] }): Promise<JwksServer> {
  let current: { keys: jose.JWK[] } | 'hang' | 'error' | 'not-json' = initial;
  const hanging = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    state.fetches++;
    if (current === 'hang') {
      hanging.add(() => response.destroy());
      return;
    }
    if (current === 'error') return void response.writeHead(500).end('{"keys":[]}');
    if (current === 'not-json') return void response.writeHead(200, { 'content-type': 'application/json' }).end('<html>keys</html>');
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(current));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: JwksServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    fetches: 0,
    serve: (response) => {
      current = response;
    },
    close: async () => {
      for (const end of hanging) end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return state;
}

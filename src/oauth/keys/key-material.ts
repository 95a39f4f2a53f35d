import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { SigningAlgorithm } from '../../config/environment.js';

export interface GeneratedKeyPair {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: JsonWebKey;
  /** PKCS#8 PEM; encrypted before it is stored. */
  readonly privateKeyPem: string;
}

/** ES256 is P-256 (RFC 7518 section 3.4); RS256 uses 2048-bit RSA (section 3.3 minimum). */
export function generateSigningKeyPair(alg: SigningAlgorithm): GeneratedKeyPair {
  const { publicKey, privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const publicJwk = publicKey.export({ format: 'jwk' });
  return {
    kid: jwkThumbprint(publicJwk),
    alg,
    publicJwk,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const required =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : jwk.kty === 'RSA'
        ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
        : undefined;
  if (!required) throw new Error(`Unsupported key type ${String(jwk.kty)}`);
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

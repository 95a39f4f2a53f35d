import { type KeyObject, sign } from 'node:crypto';
import type { SigningAlgorithm } from '../../config/environment.js';

/** The protected header of an orgsync access token (RFC 9068 section 2.1). */
export interface JwsHeader {
  readonly alg: SigningAlgorithm;
  readonly typ: 'at+jwt';
  readonly kid: string;
}

/**
 * Signs a JWT in the JWS Compact Serialization (RFC 7515 section 7.1):
 * BASE64URL(header) "." BASE64URL(claims) "." BASE64URL(signature).
 *
 * Why not jsonwebtoken's sign: it computes the signature synchronously
 * (jws -> jwa -> crypto.createSign) on the event loop, and ES256 signing was the
 * largest single part of the token endpoint's CPU (docs/benchmarks.md). Node's
 * crypto.sign with a callback runs the same OpenSSL operation on libuv's
 * threadpool, so the event loop serves other requests meanwhile; node-oidc-provider
 * gets the same by signing through WebCrypto. Verification stays with
 * jsonwebtoken (auth/verified-claims.ts), and the tests verify these tokens with
 * jsonwebtoken, jose and oauth4webapi as well.
 *
 * Both algorithms hash with SHA-256: ES256 is ECDSA P-256 whose signature is
 * the 64-byte R || S concatenation, not DER (RFC 7518 section 3.4, hence
 * dsaEncoding ieee-p1363); RS256 is RSASSA-PKCS1-v1_5 (section 3.3), the
 * default padding of an RSA key.
 */
export function signJws(header: JwsHeader, claims: object, privateKey: KeyObject): Promise<string> {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' }, (error, signature) => {
      if (error) reject(error);
      else resolve(`${signingInput}.${signature.toString('base64url')}`);
    });
  });
}

/** RFC 7515 section 2: base64url of the UTF-8 JSON, without padding. */
function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

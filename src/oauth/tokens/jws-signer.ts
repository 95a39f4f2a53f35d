import { type KeyObject, sign } from 'node:crypto';
import type { SigningAlgorithm } from '../../config/environment.js';
import { JWS_DIGEST, jwsKey } from './jws-signing.protocol.js';

/** The protected header of an orgsync access token (RFC 9068 section 2.1). */
export interface JwsHeader {
  readonly alg: SigningAlgorithm;
  readonly typ: 'at+jwt';
  readonly kid: string;
}

/**
 * Signs a JWT in the JWS Compact Serialization (RFC 7515 section 7.1):
 * BASE64URL(header) "." BASE64URL(claims) "." BASE64URL(signature), on libuv's
 * threadpool (Node's crypto.sign with a callback).
 *
 * Why not jsonwebtoken's sign: it computes the signature synchronously
 * (jws -> jwa -> crypto.createSign) on the event loop. The server signs on a
 * thread of its own in batches (jws-signing-thread.ts); this is where it signs
 * when that thread is not there (the Jest run of the TypeScript sources, or a
 * thread that failed). Verification stays with jsonwebtoken
 * (auth/verified-claims.ts), and the tests verify these tokens with
 * jsonwebtoken, jose and oauth4webapi as well.
 *
 * The algorithms are those of jwsSignature (jws-signing.protocol.ts): SHA-256,
 * with ES256's signature as R || S (RFC 7518 section 3.4).
 */
export function signJws(header: JwsHeader, claims: object, privateKey: KeyObject): Promise<string> {
  return signOnThreadpool(signingInput(header, claims), privateKey);
}

/** BASE64URL(header) "." BASE64URL(claims): what the signature covers. */
export function signingInput(header: JwsHeader, claims: object): string {
  return `${base64url(header)}.${base64url(claims)}`;
}

/** The whole token for `input`, signed on libuv's threadpool. */
export function signOnThreadpool(input: string, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign(JWS_DIGEST, Buffer.from(input), jwsKey(privateKey), (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

/** RFC 7515 section 2: base64url of the UTF-8 JSON, without padding. */
function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

import { constants, type KeyObject, sign } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { SigningKeysService } from '../../../src/oauth/keys/signing-keys.service.js';
import type { TestApp } from '../../support/test-app.js';

/** base64url of a JSON value, as a JWS segment (RFC 7515 section 2). */
export function segment(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A compact JWS assembled by hand, so that any header, payload or signature can be forged. */
export function compactJws(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  return `${segment(header)}.${segment(payload)}.${signature}`;
}

export function decodeParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } {
  const [header, payload, signature] = token.split('.');
  const read = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: read(header), payload: read(payload), signature: signature ?? '' };
}

/** Replaces claims in a token and keeps its original header and signature (a tampered payload). */
export function tamperPayload(token: string, changes: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${segment({ ...decodeParts(token).payload, ...changes })}.${signature}`;
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** JWS algorithms (RFC 7518 section 3) as node:crypto signs them. */
const SIGNERS: Record<string, (input: Buffer, key: KeyObject) => Buffer> = {
  ES256: (input, key) => sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' }),
  ES384: (input, key) => sign('sha384', input, { key, dsaEncoding: 'ieee-p1363' }),
  RS256: (input, key) => sign('sha256', input, key),
  PS256: (input, key) => sign('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
};

/**
 * Signs exactly the header and payload given (no library adds a typ or
 * checks the claims), so that malformed values can be signed too.
 */
export function signJws(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject, alg: string): string {
  const input = `${segment(withoutUndefined(header))}.${segment(withoutUndefined(payload))}`;
  const signer = SIGNERS[alg];
  if (!signer) throw new Error(`no signer for ${alg}`);
  return `${input}.${signer(Buffer.from(input), key).toString('base64url')}`;
}

/**
 * Signs with the server's own current private key: the only way to show that
 * a claim or header check, and not the signature, is what refuses a token.
 * A header member set to undefined is left out.
 */
export async function signWithServerKey(
  t: TestApp,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const key = await t.app.get(SigningKeysService).signingKey();
  return signJws({ alg: key.alg, typ: 'at+jwt', kid: key.kid, ...header }, claims, key.privateKey, key.alg);
}

/** RFC 9068 section 2.2 claims as this server issues them, valid now. */
export function accessTokenClaims(
  t: TestApp,
  subject: { clientId: string; organizationId: string; scope: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, unknown> {
  return {
    iss: t.baseUrl,
    sub: subject.clientId,
    aud: `${t.baseUrl}/api`,
    client_id: subject.clientId,
    org_id: subject.organizationId,
    scope: subject.scope,
    // A UUIDv7 whose time is now: the verifier reads the issue time from it.
    jti: uuidv7({ msecs: nowSeconds * 1000 }),
    iat: nowSeconds,
    exp: nowSeconds + 300,
  };
}

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { importJWK, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import type { SigningAlgorithm } from '../../config/environment.js';
import { signJws } from './jws-signer.js';

const claims = { iss: 'https://as.example', sub: 'c1', aud: 'orgsync-api', scope: 'org:read', iat: 1_900_000_000, exp: 1_900_000_600 };

function keyPair(alg: SigningAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  return alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function part(token: string, index: number): Buffer {
  return Buffer.from(token.split('.')[index]!, 'base64url');
}

describe.each(['ES256', 'RS256'] as const)('signJws with %s', (alg) => {
  const { privateKey, publicKey } = keyPair(alg);

  it('writes the compact serialization with exactly the given header and claims', async () => {
    const token = await signJws({ alg, typ: 'at+jwt', kid: 'k-1' }, claims, privateKey);

    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.parse(part(token, 0).toString())).toEqual({ alg, typ: 'at+jwt', kid: 'k-1' });
    expect(JSON.parse(part(token, 1).toString())).toEqual(claims);
  });

  it('signs so that jsonwebtoken verifies it with the public key', async () => {
    const token = await signJws({ alg, typ: 'at+jwt', kid: 'k-1' }, claims, privateKey);

    const verified = jwt.verify(token, publicKey, { algorithms: [alg], clockTimestamp: claims.iat + 1 });
    expect(verified).toEqual(claims);
  });

  it('signs so that jose verifies it against the public JWK', async () => {
    const token = await signJws({ alg, typ: 'at+jwt', kid: 'k-1' }, claims, privateKey);
    const jwk = await importJWK({ ...publicKey.export({ format: 'jwk' }), alg }, alg);

    const { payload, protectedHeader } = await jwtVerify(token, jwk, { currentDate: new Date((claims.iat + 1) * 1000), typ: 'at+jwt' });
    expect(payload).toEqual(claims);
    expect(protectedHeader.kid).toBe('k-1');
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const token = await signJws({ alg, typ: 'at+jwt', kid: 'k-1' }, claims, privateKey);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, scope: 'org:write' })).toString('base64url')}.${signature}`;

    expect(() => jwt.verify(forged, publicKey, { algorithms: [alg], clockTimestamp: claims.iat + 1 })).toThrow(/invalid signature/);
  });
});

describe('signJws with ES256', () => {
  it('writes the 64-byte R || S signature of RFC 7518 section 3.4, not DER', async () => {
    const { privateKey } = keyPair('ES256');
    const token = await signJws({ alg: 'ES256', typ: 'at+jwt', kid: 'k' }, claims, privateKey);

    expect(part(token, 2)).toHaveLength(64);
  });

  it('rejects with the key error when the key cannot sign', async () => {
    const { publicKey } = keyPair('ES256');

    await expect(signJws({ alg: 'ES256', typ: 'at+jwt', kid: 'k' }, claims, publicKey)).rejects.toThrow();
  });
});

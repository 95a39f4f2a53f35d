import { generateSigningKeyPair, jwkThumbprint } from './key-material.js';

describe('key material', () => {
  it('computes the RFC 7638 section 3.1 example thumbprint', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
    };
    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each(['ES256', 'RS256'] as const)('generates a %s key pair named by its thumbprint', (alg) => {
    const pair = generateSigningKeyPair(alg);
    expect(pair.kid).toBe(jwkThumbprint(pair.publicJwk));
    expect(pair.publicJwk.kty).toBe(alg === 'ES256' ? 'EC' : 'RSA');
    expect(pair.publicJwk).not.toHaveProperty('d');
    expect(pair.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });
});

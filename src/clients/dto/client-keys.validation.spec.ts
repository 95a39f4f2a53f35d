import { jwksProblem, jwksUriShapeProblem, jwksUriTransportProblem, MAX_JWKS_KEYS } from './client-keys.validation.js';

const EC_KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

describe('jwksProblem', () => {
  it('accepts a JWK Set of public RSA, EC and OKP keys', () => {
    expect(
      jwksProblem({ keys: [EC_KEY, { kty: 'RSA', n: 'AQAB', e: 'AQAB' }, { kty: 'OKP', crv: 'Ed25519', x: 'AA', use: 'sig' }] }),
    ).toBeUndefined();
  });

  it.each([
    ['not an object', [EC_KEY], /JWK Set/],
    ['no keys array', { keys: EC_KEY }, /JWK Set/],
    ['no keys', { keys: [] }, /1 to 20 keys/],
    ['too many keys', { keys: Array(MAX_JWKS_KEYS + 1).fill(EC_KEY) }, /1 to 20 keys/],
    ['a private EC key', { keys: [{ ...EC_KEY, d: 'secret' }] }, /private key material/],
    ['a private RSA key', { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', p: 'x', q: 'y' }] }, /private key material/],
    ['an oct key', { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, /oct/],
    ['an unknown kty', { keys: [{ kty: 'XYZ' }] }, /kty/],
    ['an encryption key', { keys: [{ ...EC_KEY, use: 'enc' }] }, /use "sig"/],
    ['a key that is not an object', { keys: ['EC'] }, /JWK object/],
    ['more than 64 KB', { keys: [{ ...EC_KEY, x5c: ['A'.repeat(70_000)] }] }, /65536 bytes/],
  ])('refuses %s', (_case, value, problem) => {
    expect(jwksProblem(value)).toMatch(problem);
  });

  it('names the offending key', () => {
    expect(jwksProblem({ keys: [EC_KEY, { ...EC_KEY, d: 'x' }] })).toMatch(/^jwks\.keys\[1\]/);
  });
});

describe('jwksUriShapeProblem', () => {
  it('accepts absolute http(s) URLs', () => {
    expect(jwksUriShapeProblem('https://partner.example/jwks.json')).toBeUndefined();
    expect(jwksUriShapeProblem('http://127.0.0.1:8080/jwks')).toBeUndefined();
  });

  it.each(['/jwks.json', 'ftp://partner.example/jwks', 'https://user:pw@partner.example/jwks', 'https://partner.example/jwks#a', 42])(
    'refuses %p',
    (value) => {
      expect(jwksUriShapeProblem(value)).toBeDefined();
    },
  );
});

describe('jwksUriTransportProblem', () => {
  it('accepts https everywhere', () => {
    expect(jwksUriTransportProblem('https://partner.example/jwks', 'production')).toBeUndefined();
  });

  it('accepts loopback http in development and test only', () => {
    expect(jwksUriTransportProblem('http://127.0.0.1:9/jwks', 'test')).toBeUndefined();
    expect(jwksUriTransportProblem('http://localhost:9/jwks', 'development')).toBeUndefined();
    expect(jwksUriTransportProblem('http://127.0.0.1:9/jwks', 'production')).toMatch(/https/);
    expect(jwksUriTransportProblem('http://partner.example/jwks', 'development')).toMatch(/https/);
  });
});

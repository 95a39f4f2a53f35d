import { errors, type JWTPayload } from 'jose';
import {
  algorithmProblem,
  assertedClientId,
  describeVerificationFailure,
  lifetimeProblem,
  MAX_ASSERTION_LENGTH,
  peekAssertionClaims,
} from './assertion-rules.js';

const NOW = 1_800_000_000;
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unsigned = (claims: object) => `${encode({ alg: 'ES256' })}.${encode(claims)}.c2ln`;

describe('peekAssertionClaims', () => {
  it('reads the claims of a compact JWS without verifying it', () => {
    expect(peekAssertionClaims(unsigned({ sub: 'c1', iss: 'c1' }))).toEqual({ sub: 'c1', iss: 'c1' });
  });

  it('gives nothing for junk, a JWE and anything over the size cap', () => {
    expect(peekAssertionClaims('not a jwt')).toBeUndefined();
    expect(peekAssertionClaims('a.b.c.d.e')).toBeUndefined();
    expect(peekAssertionClaims(unsigned({ sub: 'x'.repeat(MAX_ASSERTION_LENGTH) }))).toBeUndefined();
  });
});

describe('assertedClientId', () => {
  it('is the sub when iss equals it and any client_id parameter matches', () => {
    expect(assertedClientId({ iss: 'c1', sub: 'c1' }, undefined)).toEqual({ clientId: 'c1' });
    expect(assertedClientId({ iss: 'c1', sub: 'c1' }, 'c1')).toEqual({ clientId: 'c1' });
  });

  it.each<[JWTPayload, string | undefined, RegExp]>([
    [{ iss: 'c1' }, undefined, /sub/],
    [{ iss: 'c1', sub: 42 } as unknown as JWTPayload, undefined, /sub/],
    [{ iss: 'c2', sub: 'c1' }, undefined, /iss and sub/],
    [{ sub: 'c1' }, undefined, /iss and sub/],
    [{ iss: 'c1', sub: 'c1' }, 'c2', /client_id parameter/],
  ])('refuses %j with client_id %s', (claims, clientId, problem) => {
    expect(assertedClientId(claims, clientId)).toEqual({ problem: expect.stringMatching(problem) });
  });
});

describe('lifetimeProblem', () => {
  const valid = { exp: NOW + 60, iat: NOW, jti: 'j1' };

  it('accepts a short-lived assertion with a jti', () => {
    expect(lifetimeProblem(valid, NOW)).toBeUndefined();
    expect(lifetimeProblem({ ...valid, exp: NOW + 300, iat: undefined }, NOW)).toBeUndefined();
  });

  it.each([
    ['no exp', { ...valid, exp: undefined }, /exp claim/],
    ['an exp over 5 minutes ahead', { ...valid, exp: NOW + 301 }, /300 seconds/],
    ['an iat beyond the leeway', { ...valid, iat: NOW + 61 }, /iat/],
    ['no jti', { ...valid, jti: undefined }, /jti/],
    ['an empty jti', { ...valid, jti: '' }, /jti/],
    ['a jti over 255 characters', { ...valid, jti: 'j'.repeat(256) }, /jti/],
  ])('refuses %s', (_case, claims, problem) => {
    expect(lifetimeProblem(claims, NOW)).toMatch(problem);
  });
});

describe('describeVerificationFailure', () => {
  // Claims are checked only after the signature verified: only the key holder reads these.
  it.each([
    [new errors.JWTExpired('x', {}), /expired/],
    [new errors.JWTClaimValidationFailed('x', {}, 'aud', 'check_failed'), /aud must be the issuer or the token endpoint/],
    [new errors.JWTClaimValidationFailed('x', {}, 'jti', 'missing'), /must have a jti claim/],
    [new errors.JWTClaimValidationFailed('x', {}, 'nbf', 'check_failed'), /not valid yet/],
    [new errors.JWTClaimValidationFailed('x', {}, 'iss', 'check_failed'), /iss and sub both equal to the client ID/],
    [new errors.JOSEAlgNotAllowed('x'), /alg is not accepted/],
    [new errors.JWSInvalid('x'), /well-formed/],
  ])('explains %p without internals', (error, description) => {
    expect(describeVerificationFailure(error)).toMatch(description);
  });

  it.each([
    new errors.JWSSignatureVerificationFailed(),
    new errors.JWKSNoMatchingKey(),
    new errors.JWKSTimeout(),
    new errors.JWKSInvalid('x'),
    new TypeError('fetch failed'),
    new Error('anything else'),
  ])('says %p exactly as for an unknown client (RFC 6749 section 2.3), revealing no client ID', (error) => {
    expect(describeVerificationFailure(error)).toBe('Client authentication failed.');
  });
});

describe('algorithmProblem', () => {
  const signedWith = (alg: string) => `${encode({ alg })}.${encode({ sub: 'c1', iss: 'c1' })}.c2ln`;

  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'])('accepts the asymmetric %s', (alg) => {
    expect(algorithmProblem(signedWith(alg))).toBeUndefined();
  });

  it.each(['none', 'HS256', 'HS512', 'RS1'])('refuses %s with the same words whatever the client', (alg) => {
    expect(algorithmProblem(signedWith(alg))).toBe(
      "The client assertion's alg is not accepted; use one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA.",
    );
  });

  it('refuses a header that is not JSON as not a well-formed signed JWT', () => {
    expect(algorithmProblem('bm90IGpzb24.e30.c2ln')).toBe('The client assertion is not a well-formed signed JWT.');
  });
});

import { Clock } from '../common/clock.js';
import type { VerifiedClaims } from './verified-claims.js';
import { MAX_CACHED_TOKENS, VerifiedTokenCache } from './verified-token.cache.js';

class ManualClock extends Clock {
  constructor(public ms: number) {
    super();
  }

  now(): Date {
    return new Date(this.ms);
  }
}

const NOW_S = 2_000_000_000;

function claims(overrides: Partial<VerifiedClaims> = {}): VerifiedClaims {
  return {
    iss: 'https://auth.example.test',
    sub: 'client-1',
    aud: 'https://auth.example.test/api',
    client_id: 'client-1',
    org_id: 'org-1',
    scope: 'org:read',
    jti: 'jti-1',
    iat: NOW_S,
    exp: NOW_S + 600,
    nbf: undefined,
    ...overrides,
  };
}

describe('VerifiedTokenCache', () => {
  it('answers with the claims remembered for exactly that token', () => {
    const cache = new VerifiedTokenCache(new ManualClock(NOW_S * 1000));
    cache.remember('token-a', claims());

    expect(cache.get('token-a')).toEqual(claims());
    expect(cache.get('token-a ')).toBeUndefined();
    expect(cache.get('token-b')).toBeUndefined();
  });

  it('forgets a token at its exp, and never stores one already expired', () => {
    const clock = new ManualClock(NOW_S * 1000);
    const cache = new VerifiedTokenCache(clock);
    cache.remember('token-a', claims({ exp: NOW_S + 10 }));
    cache.remember('expired', claims({ exp: NOW_S }));
    clock.ms = (NOW_S + 10) * 1000 - 1;
    expect(cache.get('token-a')).toBeDefined();

    clock.ms = (NOW_S + 10) * 1000;
    expect(cache.get('token-a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not answer for a token before its nbf, less the clock tolerance', () => {
    const clock = new ManualClock(NOW_S * 1000);
    const cache = new VerifiedTokenCache(clock);
    cache.remember('token-a', claims({ nbf: NOW_S + 30 }));
    clock.ms = (NOW_S - 31) * 1000;

    expect(cache.get('token-a')).toBeUndefined();
  });

  it('holds at most its bound, evicting the least recently used token', () => {
    const cache = new VerifiedTokenCache(new ManualClock(NOW_S * 1000), 3);
    for (const token of ['a', 'b', 'c']) cache.remember(token, claims());
    cache.get('a');
    cache.remember('d', claims());

    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
  });

  it('is bounded to ten thousand tokens by default', () => {
    const cache = new VerifiedTokenCache(new ManualClock(NOW_S * 1000));
    for (let i = 0; i <= MAX_CACHED_TOKENS; i++) cache.remember(`token-${i}`, claims());

    expect(MAX_CACHED_TOKENS).toBe(10_000);
    expect(cache.size).toBe(MAX_CACHED_TOKENS);
  });
});

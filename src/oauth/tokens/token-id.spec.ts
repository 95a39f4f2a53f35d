import { issuedAtMs, newTokenId } from './token-id.js';

describe('token IDs', () => {
  it('are distinct UUIDv7 values', () => {
    const a = newTokenId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(newTokenId()).not.toBe(a);
  });

  it('carry their issue time to the millisecond', () => {
    const before = Date.now();
    const at = issuedAtMs(newTokenId(), 0);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('fall back to iat, in milliseconds, for any other jti', () => {
    expect(issuedAtMs('not-a-uuid', 1_700_000_000)).toBe(1_700_000_000_000);
    expect(issuedAtMs('3b241101-e2bb-4255-8caf-4136c566a962', 5)).toBe(5000);
  });
});

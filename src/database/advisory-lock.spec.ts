import { advisoryLockKey } from './advisory-lock.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** SHA-256("orgsync:schema-migrations"), first 8 bytes, signed. */
const KEY_OF_SCHEMA_MIGRATIONS = '-1374488255773508345';

describe('advisoryLockKey', () => {
  it('gives every process the same key for a name, whenever it asks', () => {
    expect(advisoryLockKey('schema-migrations')).toBe(advisoryLockKey('schema-migrations'));
    // Pinned: a key that changed between versions would let an old and a new replica migrate at once.
    expect(advisoryLockKey('schema-migrations')).toBe(KEY_OF_SCHEMA_MIGRATIONS);
  });

  it('gives different names different keys', () => {
    const names = ['schema-migrations', 'startup:bootstrap-admin', 'startup:signing-key', 'a', 'b', ''];
    expect(new Set(names.map(advisoryLockKey)).size).toBe(names.length);
  });

  it('is a decimal bigint within PostgreSQL bigint range, negative ones included', () => {
    const keys = Array.from({ length: 200 }, (_, index) => BigInt(advisoryLockKey(`name-${index}`)));
    for (const key of keys) {
      expect(key >= INT64_MIN && key <= INT64_MAX).toBe(true);
    }
    // A signed reading of the digest: half the keys are negative, and none is cut down to 32 bits.
    expect(keys.some((key) => key < 0n)).toBe(true);
    expect(keys.some((key) => key > 2n ** 32n)).toBe(true);
  });
});

import { SecretsKeyring, generateRootKey } from '../common/crypto/secrets-keyring.js';
import { ClientSecretHasher } from './client-secret-hasher.js';
import { CLIENT_SECRET_PREFIX, generateClientId, generateClientSecret, secretHint } from './client-credentials.js';

describe('client credentials', () => {
  it('generates secrets with a scannable prefix and 256 bits of randomness', () => {
    const secret = generateClientSecret();
    expect(secret.startsWith(CLIENT_SECRET_PREFIX)).toBe(true);
    expect(Buffer.from(secret.slice(CLIENT_SECRET_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(generateClientSecret()).not.toBe(secret);
  });

  it('generates distinct client IDs', () => {
    expect(generateClientId()).not.toBe(generateClientId());
  });

  it('hints at a secret with its last four characters only', () => {
    expect(secretHint('orgsync_cs_abcdefgh')).toBe('efgh');
  });
});

describe('ClientSecretHasher', () => {
  const hasher = new ClientSecretHasher(new SecretsKeyring(generateRootKey()));

  it('stores a keyed hash that names its algorithm and never the secret', () => {
    const secret = generateClientSecret();
    const stored = hasher.hash(secret);
    expect(stored.hashAlg).toBe('hmac-sha256');
    expect(stored.hash).not.toContain(secret.slice(CLIENT_SECRET_PREFIX.length));
  });

  it('matches the right secret and no other', () => {
    const stored = hasher.hash('orgsync_cs_right');
    expect(hasher.matches(hasher.digest('orgsync_cs_right'), stored)).toBe(true);
    expect(hasher.matches(hasher.digest('orgsync_cs_wrong'), stored)).toBe(false);
  });

  it('never matches a hash of an algorithm it does not know', () => {
    const stored = { ...hasher.hash('s'), hashAlg: 'md5' };
    expect(hasher.matches(hasher.digest('s'), stored)).toBe(false);
  });

  it('does not match the hash made under another key', () => {
    const other = new ClientSecretHasher(new SecretsKeyring(generateRootKey()));
    expect(hasher.matches(hasher.digest('s'), other.hash('s'))).toBe(false);
  });

  it('answers alike on every use of a stored record, whose decoded hash it keeps', () => {
    const right = hasher.hash('orgsync_cs_right');
    const other = hasher.hash('orgsync_cs_other');
    for (let i = 0; i < 3; i++) {
      expect(hasher.matches(hasher.digest('orgsync_cs_right'), right)).toBe(true);
      expect(hasher.matches(hasher.digest('orgsync_cs_right'), other)).toBe(false);
      expect(hasher.matches(hasher.digest('orgsync_cs_other'), other)).toBe(true);
    }
  });
});

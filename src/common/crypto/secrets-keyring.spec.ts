import { SecretsKeyring, generateRootKey } from './secrets-keyring.js';

describe('SecretsKeyring', () => {
  const keyring = new SecretsKeyring(generateRootKey());

  it('decrypts what it encrypted', () => {
    const sealed = keyring.encrypt('-----BEGIN PRIVATE KEY-----');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(keyring.decrypt(sealed)).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('never produces the same ciphertext twice', () => {
    expect(keyring.encrypt('x')).not.toBe(keyring.encrypt('x'));
  });

  it('refuses a tampered ciphertext', () => {
    const [version, payload] = keyring.encrypt('secret').split('.');
    const bytes = Buffer.from(payload!, 'base64url');
    bytes[bytes.length - 1]! ^= 0x01;
    expect(() => keyring.decrypt(`${version}.${bytes.toString('base64url')}`)).toThrow();
  });

  it('cannot decrypt with another root key', () => {
    const other = new SecretsKeyring(generateRootKey());
    expect(() => other.decrypt(keyring.encrypt('secret'))).toThrow();
  });

  it('keys its HMAC: the same value hashes differently under another root key', () => {
    const other = new SecretsKeyring(generateRootKey());
    expect(keyring.hmacSha256('v').equals(keyring.hmacSha256('v'))).toBe(true);
    expect(keyring.hmacSha256('v').equals(other.hmacSha256('v'))).toBe(false);
  });

  it('rejects a root key of the wrong length', () => {
    expect(() => new SecretsKeyring(Buffer.alloc(16))).toThrow('32 bytes');
  });
});

import { createCipheriv, createHmac, hkdfSync } from 'node:crypto';
import { SecretsKeyring, generateRootKey } from './secrets-keyring.js';

/** The derivation as first written (raw HKDF bytes as a Buffer key): what stored hashes and ciphertexts were made with. */
function derivedBytes(rootKey: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), label, 32));
}

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

  it('hashes, fingerprints and MACs exactly as the raw derived keys do, so stored hashes and cursors stay valid', () => {
    const rootKey = Buffer.alloc(32, 7);
    const fixed = new SecretsKeyring(rootKey);
    const hmacKey = derivedBytes(rootKey, 'orgsync/client-secret-hmac/v1');
    const cursorKey = derivedBytes(rootKey, 'orgsync/cursor-mac/v1');
    expect(fixed.hmacSha256('a client secret')).toEqual(createHmac('sha256', hmacKey).update('a client secret').digest());
    expect(fixed.fingerprint()).toBe(createHmac('sha256', hmacKey).update('orgsync/secrets-key-fingerprint/v1').digest('base64url'));
    expect(fixed.cursorMac('a cursor')).toEqual(createHmac('sha256', cursorKey).update('a cursor').digest());
  });

  it('decrypts what was sealed under the raw derived encryption key', () => {
    const rootKey = Buffer.alloc(32, 9);
    const iv = Buffer.alloc(12, 1);
    const cipher = createCipheriv('aes-256-gcm', derivedBytes(rootKey, 'orgsync/at-rest-encryption/v1'), iv);
    const ciphertext = Buffer.concat([cipher.update('-----BEGIN PRIVATE KEY-----', 'utf8'), cipher.final()]);
    const sealed = `v1.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
    expect(new SecretsKeyring(rootKey).decrypt(sealed)).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('rejects a root key of the wrong length', () => {
    expect(() => new SecretsKeyring(Buffer.alloc(16))).toThrow('32 bytes');
  });
});

import { Injectable } from '@nestjs/common';
import { constantTimeEqual } from '../common/crypto/constant-time.js';
import { SecretsKeyring } from '../common/crypto/secrets-keyring.js';

export const SECRET_HASH_ALG = 'hmac-sha256';

export interface StoredSecretHash {
  readonly hashAlg: string;
  readonly hash: string;
}

/**
 * Client secrets are 256-bit random values, so a slow password hash (bcrypt,
 * scrypt) buys nothing and would cap token throughput. A keyed HMAC-SHA-256
 * makes a stolen table useless without the server's key; the algorithm is
 * stored beside each hash so the scheme can change without a flag day.
 */
@Injectable()
export class ClientSecretHasher {
  /**
   * Stored hashes decoded from base64url, per stored record: ClientDirectory
   * keeps a client's records for a second, over which a busy client presents
   * its secret many times, and decoding each time was measurable.
   */
  private readonly decoded = new WeakMap<StoredSecretHash, Buffer>();

  constructor(private readonly keyring: SecretsKeyring) {}

  hash(secret: string): StoredSecretHash {
    return { hashAlg: SECRET_HASH_ALG, hash: this.keyring.hmacSha256(secret).toString('base64url') };
  }

  /** The digest to compare, computed once per request whatever the number of stored secrets. */
  digest(secret: string): Buffer {
    return this.keyring.hmacSha256(secret);
  }

  /** Constant-time comparison; a hash of an unknown algorithm never matches. */
  matches(digest: Buffer, stored: StoredSecretHash): boolean {
    if (stored.hashAlg !== SECRET_HASH_ALG) return false;
    return constantTimeEqual(digest, this.bytesOf(stored));
  }

  private bytesOf(stored: StoredSecretHash): Buffer {
    let bytes = this.decoded.get(stored);
    if (!bytes) {
      bytes = Buffer.from(stored.hash, 'base64url');
      this.decoded.set(stored, bytes);
    }
    return bytes;
  }
}

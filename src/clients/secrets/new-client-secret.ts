import { v7 as uuidv7 } from 'uuid';
import { ClientSecretEntity } from '../client-secret.entity.js';
import type { ClientSecretHasher } from '../client-secret-hasher.js';
import { secretHint } from '../client-credentials.js';

/** The stored form of a secret that was just issued: its keyed hash and hint, never the secret. */
export function newClientSecretEntity(
  hasher: ClientSecretHasher,
  clientId: string,
  secret: string,
  now: Date,
  expiresAt: Date | null = null,
): ClientSecretEntity {
  const { hashAlg, hash } = hasher.hash(secret);
  return Object.assign(new ClientSecretEntity(), {
    // UUIDv7: IDs sort by creation time.
    id: uuidv7(),
    clientId,
    hashAlg,
    hash,
    hint: secretHint(secret),
    createdAt: now,
    expiresAt,
    lastUsedAt: null,
    revokedAt: null,
  });
}

import { v7 as uuidv7 } from 'uuid';
import { randomBytesPool } from '../../common/cache/random-bytes.pool.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Token IDs (jti) are UUIDv7: unique like any UUID, and their first 48 bits
 * record the issue time in milliseconds. `iat` has whole-second precision only,
 * which cannot tell a token issued just before a client was disabled from one
 * issued just after it was enabled again within the same second. The 74
 * random bits come from the pooled CSPRNG (random-bytes.pool.ts).
 */
export function newTokenId(): string {
  return uuidv7({ random: randomBytesPool.take(16) });
}

/** The issue time of a token in epoch milliseconds: from its jti when we minted it, else from iat. */
export function issuedAtMs(jti: string, iat: number): number {
  if (!UUID_V7.test(jti)) return iat * 1000;
  return parseInt(jti.slice(0, 8) + jti.slice(9, 13), 16);
}

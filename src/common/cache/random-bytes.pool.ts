import { randomFillSync } from 'node:crypto';

/** Enough for 256 UUIDs per refill. */
const DEFAULT_POOL_BYTES = 4096;

/**
 * Cryptographically random bytes drawn from the CSPRNG a block at a time and
 * handed out in slices, each byte once. Minting an ID asks for 16 bytes; one
 * randomFillSync per ID (what the uuid package does) was a few per cent of
 * the token endpoint's CPU, one per 4 KiB is nothing (crypto.randomUUID pools
 * its entropy the same way).
 */
export class RandomBytesPool {
  private block = new Uint8Array(0);
  private offset = 0;

  constructor(private readonly blockBytes: number = DEFAULT_POOL_BYTES) {}

  /** `length` fresh random bytes, never handed out before. */
  take(length: number): Uint8Array {
    if (length > this.blockBytes) return randomFillSync(new Uint8Array(length));
    if (this.offset + length > this.block.length) {
      // A new block rather than a refill: slices handed out earlier stay as they were.
      this.block = randomFillSync(new Uint8Array(this.blockBytes));
      this.offset = 0;
    }
    const bytes = this.block.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }
}

/** The process's shared pool, for IDs (token jti, audit event IDs). */
export const randomBytesPool = new RandomBytesPool();

import { timingSafeEqual } from 'node:crypto';

/** Compares two digests without leaking, through timing, where they differ. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

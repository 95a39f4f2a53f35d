import { v7 as uuidv7 } from 'uuid';
import { randomBytesPool } from '../common/cache/random-bytes.pool.js';

/**
 * IDs of audit events: UUIDv7 (RFC 9562 section 5.7) whose timestamp is the
 * event's occurred_at, not the moment of writing, so a time window is a range
 * of IDs and every filter can walk an (x, id) index. Within one millisecond a
 * counter (RFC 9562 section 6.2, method 1) keeps IDs in the order events were
 * recorded, which is the order the API lists them in.
 */
export class AuditEventIds {
  private lastMs = -1;
  private seq = 0;

  next(occurredAt: Date): string {
    const ms = occurredAt.getTime();
    if (ms === this.lastMs) {
      this.seq = (this.seq + 1) | 0;
    } else {
      // A fresh random start with the top bit clear leaves 2^31 steps of headroom within the millisecond.
      const bytes = randomBytesPool.take(4);
      this.seq = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) >>> 1;
      // An earlier time (a clock stepped back) still gets an ID of its own time; only the same millisecond counts up.
      this.lastMs = ms;
    }
    return uuidv7({ msecs: ms, seq: this.seq, random: randomBytesPool.take(16) });
  }
}

/** The lowest UUIDv7 of a millisecond: every event at or after `ms` has an ID at least this. */
export function lowestAuditEventIdAt(ms: number): string {
  const hex = Math.max(0, Math.min(ms, 0xffffffffffff)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

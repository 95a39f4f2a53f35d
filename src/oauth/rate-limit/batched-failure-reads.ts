import { RateLimiterRes } from 'rate-limiter-flexible';

/** A failure counter's row as the table holds it: points so far, and when the window (or lockout) ends (epoch ms, null: never). */
export interface FailureRow {
  readonly points: number;
  readonly expire: number | null;
}

/** Reads the live rows of `keys` (already prefixed, as the limiter stores them); a key without a live row is absent from the map. */
export type FailureRowsReader = (keys: readonly string[], now: number) => Promise<ReadonlyMap<string, FailureRow>>;

interface Waiting {
  readonly resolve: (result: RateLimiterRes | null) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The lockout check of every token request on PostgreSQL (OAuthRateLimits.
 * beforeAuthentication), read for all the requests of one event-loop turn with
 * one statement instead of one statement each: under load a turn handles many
 * requests, and the per-request SELECT was the token endpoint's only query and
 * a fifth of its CPU on PostgreSQL (--cpu-prof, docs/benchmarks.md).
 *
 * As exact as a query per request: the statement is sent after every request
 * in its batch has arrived (setImmediate runs once the turn's I/O callbacks and
 * their promise chains are done), so it sees every failure and lockout any
 * replica committed before any of them; a request never joins a statement
 * already sent. Results are what rate-limiter-flexible's get() returns for the
 * same row (consumedPoints, msBeforeNext), and a key without a live row is null.
 */
export class BatchedFailureReads {
  private pending = new Map<string, Waiting[]>();
  private scheduled = false;

  constructor(
    private readonly readRows: FailureRowsReader,
    /** The limiter's points: remainingPoints is computed against it, as the library does. */
    private readonly points: number,
  ) {}

  get(key: string): Promise<RateLimiterRes | null> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.readBatch());
      }
    });
  }

  private async readBatch(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    const now = Date.now();
    try {
      const rows = await this.readRows([...batch.keys()], now);
      for (const [key, waiting] of batch) {
        const result = this.toResult(rows.get(key), now);
        for (const { resolve } of waiting) resolve(result);
      }
    } catch (error) {
      for (const waiting of batch.values()) for (const { reject } of waiting) reject(error);
    }
  }

  private toResult(row: FailureRow | undefined, now: number): RateLimiterRes | null {
    if (row === undefined) return null;
    const msBeforeNext = row.expire === null ? -1 : Math.max(row.expire - now, 0);
    return new RateLimiterRes(Math.max(this.points - row.points, 0), msBeforeNext, row.points, false);
  }
}

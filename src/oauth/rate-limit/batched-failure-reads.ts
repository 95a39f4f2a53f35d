import { RateLimiterRes } from 'rate-limiter-flexible';
import { TurnBatch } from '../../common/turn-batch.js';

/** Keys per statement; far more than one replica's requests in a turn. */
const KEYS_PER_READ = 1_000;

/** A failure counter's row as the table holds it: points so far, and when the window (or lockout) ends (epoch ms, null: never). */
export interface FailureRow {
  readonly points: number;
  readonly expire: number | null;
}

/** Reads the live rows of `keys` (already prefixed, as the limiter stores them); a key without a live row is absent from the map. */
export type FailureRowsReader = (keys: readonly string[], now: number) => Promise<ReadonlyMap<string, FailureRow>>;

/**
 * The lockout check of every token request on PostgreSQL and Redis (OAuthRateLimits.
 * beforeAuthentication), read for all the requests of one event-loop turn with
 * one statement instead of one statement each: under load a turn handles many
 * requests, and the per-request SELECT was the token endpoint's only query and
 * a fifth of its CPU on PostgreSQL (--cpu-prof, docs/benchmarks.md).
 *
 * As exact as a query per request: the statement is sent after every request
 * in its batch has arrived (setImmediate runs once the turn's I/O callbacks and
 * their promise chains are done), so it sees every failure and lockout any
 * replica committed before any of them; a request never joins a statement
 * already sent (TurnBatch). Results are what rate-limiter-flexible's get() returns for the
 * same row (consumedPoints, msBeforeNext), and a key without a live row is null.
 */
export class BatchedFailureReads {
  private readonly batch: TurnBatch<RateLimiterRes>;

  constructor(
    readRows: FailureRowsReader,
    /** The limiter's points: remainingPoints is computed against it, as the library does. */
    points: number,
  ) {
    this.batch = new TurnBatch(async (keys) => {
      const rows = await readRows(keys, Date.now());
      // The time left is counted from the answer, not from the question: a reader that
      // dates a row from its reply (Redis: arrival + PTTL) would otherwise hand back a
      // whole window plus the round trip, a Retry-After one second past the lockout.
      const answeredAt = Date.now();
      const results = new Map<string, RateLimiterRes>();
      for (const [key, row] of rows) {
        // Expired while the answer was on its way: gone, as get() would have said a moment later.
        if (row.expire === null || row.expire > answeredAt) results.set(key, toResult(row, answeredAt, points));
      }
      return results;
    }, KEYS_PER_READ);
  }

  async get(key: string): Promise<RateLimiterRes | null> {
    return (await this.batch.get(key)) ?? null;
  }
}

function toResult(row: FailureRow, now: number, points: number): RateLimiterRes {
  const msBeforeNext = row.expire === null ? -1 : row.expire - now;
  return new RateLimiterRes(Math.max(points - row.points, 0), msBeforeNext, row.points, false);
}

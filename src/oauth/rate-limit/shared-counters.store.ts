import type { DataSource } from 'typeorm';

/** Points to add to one counter; a counter whose window is over (or that is new) starts one ending at `windowEnd`. */
export interface CounterDelta {
  readonly key: string;
  readonly points: number;
  /** Epoch milliseconds: the end of the window the counting replica opened with the key's first point. */
  readonly windowEnd: number;
}

/** A counter after the deltas landed: the points of its current window, from every replica, and when it ends. */
export interface CounterTotal {
  readonly key: string;
  readonly points: number;
  /** Epoch milliseconds; null for a counter that never expires (none of ours). */
  readonly expire: number | null;
}

/** Where the counters of every replica meet. */
export interface SharedCounterStore {
  /** Adds every delta in one atomic step per key; keys must be distinct. */
  add(deltas: readonly CounterDelta[]): Promise<CounterTotal[]>;
}

/**
 * rate-limiter-flexible's RateLimiterPostgres upsert (same table, same key, points
 * and expire semantics, so replicas counting one by one and in batches share
 * counters), for many keys in one statement: the library has no batch operation.
 * Arrays through unnest keep it one statement text whatever the batch size, and
 * clear of PostgreSQL's limit of 65,535 parameters.
 */
const ADD_SQL = `
  INSERT INTO rate_limits AS counter (key, points, expire)
  SELECT * FROM unnest($1::varchar[], $2::integer[], $3::bigint[])
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN counter.expire <= $4 THEN excluded.points ELSE counter.points + excluded.points END,
    expire = CASE WHEN counter.expire <= $4 THEN excluded.expire ELSE counter.expire END
  RETURNING key, points, expire`;

interface CounterRow {
  key: string;
  points: number;
  /** pg returns bigint as a string. */
  expire: string | null;
}

/** The rate_limits table (RateLimitCounterEntity), through the application's pool. */
export class PostgresCounterStore implements SharedCounterStore {
  constructor(private readonly dataSource: DataSource) {}

  async add(deltas: readonly CounterDelta[]): Promise<CounterTotal[]> {
    const rows = (await this.dataSource.query(ADD_SQL, [
      deltas.map((delta) => delta.key),
      deltas.map((delta) => delta.points),
      deltas.map((delta) => delta.windowEnd),
      Date.now(),
    ])) as CounterRow[];
    return rows.map(counterTotal);
  }
}

function counterTotal(row: CounterRow): CounterTotal {
  return { key: row.key, points: row.points, expire: row.expire === null ? null : Number(row.expire) };
}

/** rate-limiter-flexible's get() (a live row: expire still ahead, or none), for many keys in one statement. */
const LIVE_ROWS_SQL = 'SELECT key, points, expire FROM rate_limits WHERE key = ANY($1::varchar[]) AND (expire > $2 OR expire IS NULL)';

/** The live rows of `keys` in rate_limits, by key (BatchedFailureReads' reader on PostgreSQL). */
export async function readLiveCounters(dataSource: DataSource, keys: readonly string[], now: number): Promise<Map<string, CounterTotal>> {
  const rows = (await dataSource.query(LIVE_ROWS_SQL, [keys, now])) as CounterRow[];
  return new Map(rows.map((row) => [row.key, counterTotal(row)]));
}

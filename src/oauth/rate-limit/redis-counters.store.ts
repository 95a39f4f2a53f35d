import type { Redis } from 'ioredis';
import { chunksOf } from '../../common/chunks.js';
import type { FailureRow } from './batched-failure-reads.js';
import type { CounterDelta, CounterTotal, SharedCounterStore } from './shared-counters.store.js';

/**
 * rate-limiter-flexible's RateLimiterRedis counting (its incrTtl script: a key
 * set to 0 with the window as TTL unless it exists, then INCRBY, then PTTL),
 * for many keys in one script call: the library counts one key per round
 * trip. Same keys, values and TTLs, so replicas counting one by one and in
 * batches share counters. The TTL is the window the counting replica opened
 * (delta.windowEnd), in milliseconds.
 *
 * KEYS: the counters; ARGV: points and milliseconds left, two per key.
 * Returns the total and PTTL of each key, two per key.
 */
const ADD_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local ms = tonumber(ARGV[2 * i])
  redis.call('set', key, 0, 'PX', ms, 'NX')
  local total = redis.call('incrby', key, ARGV[2 * i - 1])
  local ttl = redis.call('pttl', key)
  if ttl < 0 then
    redis.call('pexpire', key, ms)
    ttl = ms
  end
  out[2 * i - 1] = total
  out[2 * i] = ttl
end
return out`;

/**
 * rate-limiter-flexible's get() (GET and PTTL of the key) for many keys in one
 * script call. Returns the value (nil when there is none) and PTTL of each key.
 */
const READ_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('get', key)
  out[2 * i] = redis.call('pttl', key)
end
return out`;

/**
 * A script runs alone on the Redis server, blocking every other client while
 * it does: batches are sent in calls of at most this many keys, each a few
 * milliseconds at most.
 */
export const KEYS_PER_SCRIPT_CALL = 500;

type ScriptReply = (number | string | null)[];

/** The two scripts as ioredis commands (EVALSHA, EVAL when the server does not know the script yet). */
interface CounterCommands {
  orgsyncAddCounters(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<ScriptReply>;
  orgsyncReadCounters(numberOfKeys: number, ...keys: string[]): Promise<ScriptReply>;
}

function withCounterCommands(redis: Redis): Redis & CounterCommands {
  const commands = redis as Redis & Partial<CounterCommands>;
  if (commands.orgsyncAddCounters === undefined) redis.defineCommand('orgsyncAddCounters', { lua: ADD_SCRIPT });
  if (commands.orgsyncReadCounters === undefined) redis.defineCommand('orgsyncReadCounters', { lua: READ_SCRIPT });
  return redis as Redis & CounterCommands;
}

/**
 * The shared counters in Redis (RATE_LIMIT_STORE=redis): CounterBatcher's
 * store, so a token request normally waits for no Redis round trip, as on
 * PostgreSQL. One connection, no Redis Cluster: a script's keys must live on
 * one server.
 */
export class RedisCounterStore implements SharedCounterStore {
  private readonly redis: Redis & CounterCommands;

  constructor(redis: Redis) {
    this.redis = withCounterCommands(redis);
  }

  async add(deltas: readonly CounterDelta[]): Promise<CounterTotal[]> {
    const totals: CounterTotal[] = [];
    for (const chunk of chunksOf(deltas, KEYS_PER_SCRIPT_CALL)) {
      const now = Date.now();
      // A window at most a moment from its end still needs a TTL: Redis refuses PX 0.
      const args = chunk.flatMap((delta) => [delta.points, Math.max(delta.windowEnd - now, 1)]);
      const reply = await this.redis.orgsyncAddCounters(chunk.length, ...chunk.map((delta) => delta.key), ...args);
      const answeredAt = Date.now();
      chunk.forEach((delta, i) => {
        totals.push({ key: delta.key, points: Number(reply[2 * i]), expire: answeredAt + Number(reply[2 * i + 1]) });
      });
    }
    return totals;
  }

  /** The live counters of `keys` (already prefixed), by key: BatchedFailureReads' reader on Redis. */
  async readLive(keys: readonly string[]): Promise<Map<string, FailureRow>> {
    const rows = new Map<string, FailureRow>();
    for (const chunk of chunksOf(keys, KEYS_PER_SCRIPT_CALL)) {
      const reply = await this.redis.orgsyncReadCounters(chunk.length, ...chunk);
      const answeredAt = Date.now();
      chunk.forEach((key, i) => {
        const points = reply[2 * i];
        const ttl = Number(reply[2 * i + 1]);
        // PTTL: -2 the key is gone (expired between the two calls), -1 it never expires.
        if (points === null || points === undefined || ttl === -2) return;
        rows.set(key, { points: Number(points), expire: ttl === -1 ? null : answeredAt + ttl });
      });
    }
    return rows;
  }
}

import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  type RateLimiterRes,
} from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { RateLimitConfig } from '../../config/app-config.js';
import { ConfigurationError } from '../../config/environment.js';
import { BatchedFailureReads } from './batched-failure-reads.js';
import { CounterBatcher } from './counter-batcher.js';
import { RedisCounterStore } from './redis-counters.store.js';
import { PostgresCounterStore, readLiveCounters } from './shared-counters.store.js';

/** A limiter that counts a request and refuses past its limit, rejecting with the library's RateLimiterRes. */
export interface CountingLimiter {
  consume(key: string): Promise<RateLimiterRes>;
}

/** The three counters behind OAuthRateLimits, in the configured store. */
export interface RateLimiters {
  /** Requests per source address to the OAuth endpoints. */
  readonly perAddress: CountingLimiter;
  /** Failed authentications per (claimed client ID, source address). */
  readonly failures: RateLimiterAbstract;
  /** `failures.get(key)`: on PostgreSQL read for all the requests of an event-loop turn with one statement (BatchedFailureReads). */
  readFailures(key: string): Promise<RateLimiterRes | null>;
  /** Authenticated requests per client. */
  readonly perClient: CountingLimiter;
  /** Resolves once the store can be used (or has been given up on: the limits then hold per process). */
  ready(): Promise<void>;
  /** Sends counts still held locally to the shared store (batched store only). */
  flush(): Promise<void>;
  /** Flushes, then lets go of the store. */
  close(): Promise<void>;
  /** Deletes counters long expired from a shared table; nothing to do for the other stores. */
  sweep(): Promise<void>;
}

/** Counters expired this long ago are deleted by sweep(). */
const SWEEP_EXPIRED_BEFORE_MS = 3_600_000;

/** The table of migration 1763820000000-RateLimits (RateLimitCounterEntity). */
const TABLE = 'rate_limits';
const REDIS_READY_TIMEOUT_MS = 2_000;
/** How long a closing connection that Redis does not answer is given before its socket is destroyed. */
const DISCONNECT_TIMEOUT_MS = 200;
/**
 * Within this many points of a per-address or per-client limit, the shared store
 * (PostgreSQL, Redis) counts every request at once (see BatchedRateLimiter):
 * limits up to it are exact across replicas, and a key costs at most this many
 * statements or script calls per window.
 */
const DIRECT_BAND = 100;

interface LimiterShape {
  readonly keyPrefix: string;
  readonly points: number;
}

/**
 * Builds the limiters. Memory: one process. Database: PostgreSQL through the
 * app's own pool, shared by every replica (on SQLite, a single process by
 * nature, memory). Redis: shared through REDIS_URL. In both shared stores the
 * request counters are batched and the lockout checks of an event-loop turn
 * read together. A shared store that fails falls back to counting in memory
 * (rate-limiter-flexible's insuranceLimiter, or the batched counters' own), so
 * an outage weakens the limits to per process instead of failing every token
 * request with a 500.
 */
export function createRateLimiters(config: RateLimitConfig, dataSource: DataSource, databaseKind: 'sqlite' | 'postgres'): RateLimiters {
  const duration = config.windowSeconds;
  // The store runs a limiter only when its limit is on; 0 keeps it unused, so any positive point count will do.
  const shapes = {
    perAddress: { keyPrefix: 'oauth_address', points: Math.max(config.perAddress, 1) },
    failures: { keyPrefix: 'oauth_failures', points: Math.max(config.failuresPerClient, 1) },
    perClient: { keyPrefix: 'oauth_client', points: Math.max(config.perClient, 1) },
  } satisfies Record<string, LimiterShape>;
  const memory = (shape: LimiterShape) => new RateLimiterMemory({ ...shape, duration });

  if (config.store === 'redis') {
    if (!config.redisUrl) throw new ConfigurationError('Invalid configuration:\n  - RATE_LIMIT_STORE=redis needs REDIS_URL');
    return redisLimiters(config.redisUrl, shapes, duration, memory);
  }
  if (config.store === 'database' && databaseKind === 'postgres') return postgresLimiters(dataSource, shapes, duration, memory);
  return withLifecycle({ perAddress: memory(shapes.perAddress), failures: memory(shapes.failures), perClient: memory(shapes.perClient) });
}

/**
 * The request counters (per address, per client) are batched: a token request
 * normally costs them no query (BatchedRateLimiter). Failures stay counted one
 * by one in the table: they are rare, and a lockout must hold on every replica
 * at once.
 */
function postgresLimiters(
  dataSource: DataSource,
  shapes: Record<LimiterName, LimiterShape>,
  duration: number,
  memory: (shape: LimiterShape) => RateLimiterMemory,
): RateLimiters {
  const failures = new RateLimiterPostgres({
    ...shapes.failures,
    duration,
    storeClient: dataSource,
    storeType: 'typeorm',
    tableName: TABLE,
    tableCreated: true,
    // The library's own sweeper is a timer started here, before the application is known to have started;
    // OAuthRateLimits sweeps instead, from a timer it starts once the application is up and stops at shutdown.
    clearExpiredByTimeout: false,
    // Once a key is over its limit this process refuses it from memory, so a flood costs no queries.
    inMemoryBlockOnConsumed: shapes.failures.points + 1,
    insuranceLimiter: memory(shapes.failures),
  });
  const failureReads = new BatchedFailureReads((keys, now) => readLiveCounters(dataSource, keys, now), shapes.failures.points);
  const batcher = new CounterBatcher(new PostgresCounterStore(dataSource), new Logger('RateLimits'));
  const batched = (shape: LimiterShape) => batcher.limiter({ ...shape, durationMs: duration * 1000, directBand: DIRECT_BAND });
  // One table holds every prefix: one limiter's sweep cleans it all.
  // clearExpired is public in the library but missing from its type declarations.
  const sweeper = failures as RateLimiterPostgres & { clearExpired(expiredBefore: number): Promise<void> };
  return {
    perAddress: batched(shapes.perAddress),
    failures,
    // A failed batch read falls back to the library's own get, whose insurance limiter answers while the database is away.
    readFailures: (key) => failureReads.get(failures.getKey(key)).catch(() => failures.get(key)),
    perClient: batched(shapes.perClient),
    ready: async () => {},
    flush: () => batcher.flush(),
    close: () => batcher.close(),
    sweep: async () => {
      batcher.prune(Date.now());
      await sweeper.clearExpired(Date.now() - SWEEP_EXPIRED_BEFORE_MS);
    },
  };
}

type LimiterName = 'perAddress' | 'failures' | 'perClient';

/** The Redis limiters once connected, with what flushes and closes them. */
interface RedisLimiters extends Pick<RateLimiters, LimiterName | 'readFailures'> {
  readonly redis: Redis;
  readonly batcher: CounterBatcher;
}

/**
 * ioredis is imported only here, once ready() runs (onModuleInit, before the
 * server listens): loading it cost 100-230 ms of every start-up, Redis
 * configured or not. The limiters exist from then on.
 */
function redisLimiters(
  url: string,
  shapes: Record<LimiterName, LimiterShape>,
  duration: number,
  memory: (shape: LimiterShape) => RateLimiterMemory,
): RateLimiters {
  let store: RedisLimiters | undefined;
  const built = (): RedisLimiters => {
    if (!store) throw new Error('The Redis rate limiters are used before ready() resolved');
    return store;
  };
  return {
    get perAddress() {
      return built().perAddress;
    },
    get failures() {
      return built().failures;
    },
    get perClient() {
      return built().perClient;
    },
    readFailures: (key) => built().readFailures(key),
    ready: async () => {
      store ??= await connectRedisLimiters(url, shapes, duration, memory);
    },
    // Redis expires the counters itself; only the windows this process remembers need forgetting.
    sweep: async () => store?.batcher.prune(Date.now()),
    flush: async () => store?.batcher.flush(),
    close: async () => {
      if (!store) return;
      const { redis, batcher } = store;
      await batcher.close();
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/**
 * As on PostgreSQL: the request counters batched (CounterBatcher over
 * RedisCounterStore), the lockout checks of an event-loop turn read with one
 * script call, failures counted one by one by the library (they are rare, and
 * a lockout must hold on every replica at once). A round trip per counter
 * per token request instead (three per token) cost about half again as much
 * CPU per token as the in-memory store (docs/benchmarks.md).
 */
async function connectRedisLimiters(
  url: string,
  shapes: Record<LimiterName, LimiterShape>,
  duration: number,
  memory: (shape: LimiterShape) => RateLimiterMemory,
): Promise<RedisLimiters> {
  const { Redis: RedisClient } = await import('ioredis');
  const logger = new Logger('RateLimits');
  // No offline queue: while Redis is away a command fails at once and the limits hold per process.
  // disconnectTimeout: on close while Redis is away, ioredis's disconnect() waits that long for a socket that is
  // already gone before destroying it, and the timer holds the process (its default 2 s outlasts a test worker's exit).
  const redis = new RedisClient(url, {
    enableOfflineQueue: false,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  });
  let degraded = false;
  redis.on('error', (error: Error) => {
    if (degraded) return;
    degraded = true;
    logger.warn(`Redis at ${describeRedis(url)} is unreachable (${error.message}); OAuth rate limits hold per process until it is back`);
  });
  redis.on('ready', () => {
    if (degraded) logger.log(`Redis at ${describeRedis(url)} is back; OAuth rate limits are shared again`);
    degraded = false;
  });
  const failures = new RateLimiterRedis({
    ...shapes.failures,
    duration,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    // Once a key is over its limit this process refuses it from memory, so a flood costs no round trips.
    inMemoryBlockOnConsumed: shapes.failures.points + 1,
    insuranceLimiter: memory(shapes.failures),
  });
  const counters = new RedisCounterStore(redis);
  const failureReads = new BatchedFailureReads((keys) => counters.readLive(keys), shapes.failures.points);
  const batcher = new CounterBatcher(counters, logger);
  const batched = (shape: LimiterShape) => batcher.limiter({ ...shape, durationMs: duration * 1000, directBand: DIRECT_BAND });
  await connectWithin(redis, REDIS_READY_TIMEOUT_MS);
  return {
    redis,
    batcher,
    perAddress: batched(shapes.perAddress),
    failures,
    // A failed batch read falls back to the library's own get, whose insurance limiter answers while Redis is away.
    readFailures: (key) => failureReads.get(failures.getKey(key)).catch(() => failures.get(key)),
    perClient: batched(shapes.perClient),
  };
}

/** Waits for the first connection, but never holds start-up hostage to Redis: its error listener reports the outage. */
async function connectWithin(redis: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([redis.connect().catch(() => undefined), timeout]);
  clearTimeout(timer);
}

function withLifecycle(limiters: Pick<RateLimiters, 'perAddress' | 'failures' | 'perClient'>): RateLimiters {
  return {
    ...limiters,
    readFailures: (key) => limiters.failures.get(key),
    ready: async () => {},
    flush: async () => {},
    close: async () => {},
    sweep: async () => {},
  };
}

/** The Redis address without credentials, for logs. */
function describeRedis(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

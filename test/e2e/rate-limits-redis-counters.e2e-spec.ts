import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { KEYS_PER_SCRIPT_CALL, RedisCounterStore } from '../../src/oauth/rate-limit/redis-counters.store.js';
import { freePort } from '../support/test-app.js';

/** This machine's Redis; the test fails, never skips, when it is not there. */
const REDIS_URL = 'redis://127.0.0.1:6379';
const WINDOW_MS = 60_000;

/**
 * RedisCounterStore against a real Redis: batched counts land as
 * rate-limiter-flexible's RateLimiterRedis keeps them (same key, value and
 * TTL), so replicas counting one by one and in batches share counters.
 */
describe('RedisCounterStore', () => {
  let redis: Redis;
  let store: RedisCounterStore;
  // Counters outlive a run in Redis: every key here is this run's own.
  const run = randomBytes(4).toString('hex');
  const key = (name: string) => `orgsync_test_${run}:${name}`;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    await redis.connect();
    store = new RedisCounterStore(redis);
  });
  afterAll(async () => {
    const keys = await redis.keys(`orgsync_test_${run}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('starts a counter with the window the delta opened, and adds to it within the window', async () => {
    const windowEnd = Date.now() + WINDOW_MS;
    const [first] = await store.add([{ key: key('a'), points: 3, windowEnd }]);
    expect(first).toMatchObject({ key: key('a'), points: 3 });
    expect(Math.abs(first!.expire! - windowEnd)).toBeLessThan(1_000);
    // A later delta with another window guess keeps the counter's own window.
    const [second] = await store.add([{ key: key('a'), points: 2, windowEnd: windowEnd + 30_000 }]);
    expect(second).toMatchObject({ key: key('a'), points: 5 });
    expect(Math.abs(second!.expire! - windowEnd)).toBeLessThan(1_000);
    expect(await redis.get(key('a'))).toBe('5');
  });

  it('answers each key of a batch in order, over several script calls', async () => {
    const count = 2 * KEYS_PER_SCRIPT_CALL + 7;
    const windowEnd = Date.now() + WINDOW_MS;
    const deltas = Array.from({ length: count }, (_, i) => ({ key: key(`many-${i}`), points: (i % 5) + 1, windowEnd }));
    const totals = await store.add(deltas);
    expect(totals.map((total) => [total.key, total.points])).toEqual(deltas.map((delta) => [delta.key, delta.points]));
    const rows = await store.readLive(deltas.map((delta) => delta.key));
    expect(rows.size).toBe(count);
    expect(rows.get(key(`many-${count - 1}`))?.points).toBe(((count - 1) % 5) + 1);
  });

  it('starts a new window once the old one is over', async () => {
    await store.add([{ key: key('short'), points: 4, windowEnd: Date.now() + 50 }]);
    await sleep(120);
    const [total] = await store.add([{ key: key('short'), points: 1, windowEnd: Date.now() + WINDOW_MS }]);
    expect(total!.points).toBe(1);
  });

  it('shares counters with rate-limiter-flexible counting one by one, both ways', async () => {
    const limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `orgsync_test_${run}`, points: 100, duration: WINDOW_MS / 1000 });
    await limiter.consume('shared', 3);
    const [total] = await store.add([{ key: key('shared'), points: 2, windowEnd: Date.now() + WINDOW_MS }]);
    expect(total!.points).toBe(5);
    expect((await limiter.get('shared'))?.consumedPoints).toBe(5);
    expect((await limiter.consume('shared')).consumedPoints).toBe(6);
  });

  it('reads live counters as the library does, leaving out keys with none', async () => {
    const limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `orgsync_test_${run}`, points: 10, duration: WINDOW_MS / 1000 });
    await limiter.penalty('failures', 2);
    await redis.set(key('forever'), '7');
    const rows = await store.readLive([key('failures'), key('missing'), key('forever')]);
    expect(rows.get(key('failures'))?.points).toBe(2);
    expect(rows.get(key('failures'))!.expire! - Date.now()).toBeGreaterThan(WINDOW_MS - 5_000);
    expect(rows.has(key('missing'))).toBe(false);
    expect(rows.get(key('forever'))).toEqual({ points: 7, expire: null });
  });

  it('fails, rather than answering, while Redis is unreachable', async () => {
    const away = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    await away.connect().catch(() => undefined);
    const unreachable = new RedisCounterStore(away);
    await expect(unreachable.add([{ key: key('away'), points: 1, windowEnd: Date.now() + WINDOW_MS }])).rejects.toThrow();
    await expect(unreachable.readLive([key('away')])).rejects.toThrow();
    // Nothing left to close: without retries the client has ended. (A disconnect() now would start ioredis's
    // 2 s timer for a socket already gone, and hold the test worker.)
    expect(away.status).toBe('end');
  });
});

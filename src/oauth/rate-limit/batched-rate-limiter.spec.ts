import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { BatchedRateLimiter } from './batched-rate-limiter.js';
import { CounterBatcher, FLUSH_INTERVAL_MS } from './counter-batcher.js';
import type { CounterDelta, CounterTotal, SharedCounterStore } from './shared-counters.store.js';

const WINDOW_MS = 60_000;
const START = Date.parse('2026-03-01T12:00:00Z');
const BAND = 100;

/** The rate_limits upsert of PostgresCounterStore, in memory: one table that every replica of a test shares. */
class FakeCounterStore implements SharedCounterStore {
  readonly rows = new Map<string, { points: number; expire: number }>();
  readonly statements: CounterDelta[][] = [];
  failing = false;

  add(deltas: readonly CounterDelta[]): Promise<CounterTotal[]> {
    if (this.failing) return Promise.reject(new Error('connection refused'));
    this.statements.push([...deltas]);
    const now = Date.now();
    return Promise.resolve(
      deltas.map(({ key, points, windowEnd }) => {
        const row = this.rows.get(key);
        const next =
          row === undefined || row.expire <= now ? { points, expire: windowEnd } : { points: row.points + points, expire: row.expire };
        this.rows.set(key, next);
        return { key, ...next };
      }),
    );
  }

  points(key: string): number | undefined {
    return this.rows.get(key)?.points;
  }
}

interface Replica {
  readonly batcher: CounterBatcher;
  readonly limiter: BatchedRateLimiter;
  readonly logger: { log: jest.Mock<(message: string) => void>; warn: jest.Mock<(message: string) => void> };
}

function replica(store: SharedCounterStore, points: number): Replica {
  const logger = { log: jest.fn<(message: string) => void>(), warn: jest.fn<(message: string) => void>() };
  const batcher = new CounterBatcher(store, logger);
  return { batcher, logger, limiter: batcher.limiter({ keyPrefix: 'oauth_client', points, durationMs: WINDOW_MS, directBand: BAND }) };
}

/** Consumes until the first refusal (or `max` admissions) and returns how many were admitted. */
async function admittedUntilRefused(limiter: BatchedRateLimiter, key: string, max = 10_000): Promise<number> {
  for (let admitted = 0; admitted < max; admitted++) {
    try {
      await limiter.consume(key);
    } catch (refusal) {
      expect(refusal).toBeInstanceOf(RateLimiterRes);
      return admitted;
    }
  }
  return max;
}

async function consumeTimes(limiter: BatchedRateLimiter, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await limiter.consume(key);
}

let store: FakeCounterStore;

describe('BatchedRateLimiter with its CounterBatcher', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: START });
    store = new FakeCounterStore();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('on one replica', () => {
    it('counts far from the limit without a statement, and sends every touched key in one statement a flush interval later', async () => {
      const { limiter } = replica(store, 1_000);
      await consumeTimes(limiter, 'partner', 30);
      await consumeTimes(limiter, 'other', 2);
      expect(store.statements).toEqual([]);

      await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);

      expect(store.statements).toEqual([
        [
          { key: 'oauth_client:partner', points: 30, windowEnd: START + WINDOW_MS },
          { key: 'oauth_client:other', points: 2, windowEnd: START + WINDOW_MS },
        ],
      ]);
    });

    it('runs no timer and sends nothing while nothing was counted', async () => {
      const { limiter, batcher } = replica(store, 1_000);
      expect(jest.getTimerCount()).toBe(0);
      await limiter.consume('partner');
      await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
      expect(jest.getTimerCount()).toBe(0);
      await batcher.flush();
      await jest.advanceTimersByTimeAsync(10 * FLUSH_INTERVAL_MS);
      expect(store.statements).toHaveLength(1);
    });

    it.each([
      ['within the direct band', 5],
      ['past the direct band', 250],
    ])('refuses exactly at the limit %s, flushes in between or not, with the time left in the window', async (_, points) => {
      const { limiter } = replica(store, points);
      await consumeTimes(limiter, 'partner', Math.floor(points / 2));
      await jest.advanceTimersByTimeAsync(15_000);
      expect(await admittedUntilRefused(limiter, 'partner')).toBe(points - Math.floor(points / 2));
      const refusal = await limiter.consume('partner').catch((rejection: unknown) => rejection);
      expect(refusal).toMatchObject({ remainingPoints: 0, msBeforeNext: 45_000 });
    });

    it('counts the last points of the limit in the store at once, with the counts still pending', async () => {
      const { limiter } = replica(store, 250);
      await consumeTimes(limiter, 'partner', 150);
      expect(store.statements).toEqual([]);
      await limiter.consume('partner');
      expect(store.statements).toEqual([[{ key: 'oauth_client:partner', points: 151, windowEnd: START + WINDOW_MS }]]);
      expect(store.points('oauth_client:partner')).toBe(151);
    });

    it('starts a new window once the window has passed, dropping counts of the old one not sent yet', async () => {
      const { limiter, batcher } = replica(store, 250);
      await consumeTimes(limiter, 'partner', 150);
      await batcher.flush();
      await admittedUntilRefused(limiter, 'partner');
      jest.setSystemTime(Date.now() + WINDOW_MS);
      expect(await admittedUntilRefused(limiter, 'partner')).toBe(250);
    });

    it('sends what is left on close, and schedules nothing after', async () => {
      const { limiter, batcher } = replica(store, 1_000);
      await consumeTimes(limiter, 'partner', 7);
      await batcher.close();
      expect(store.points('oauth_client:partner')).toBe(7);
      await limiter.consume('partner');
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('on two replicas sharing the store', () => {
    it('learns the counts of the other replica at each flush, and enforces the shared limit exactly near it', async () => {
      const first = replica(store, 500);
      const second = replica(store, 500);
      await consumeTimes(first.limiter, 'partner', 350);
      await first.batcher.flush();
      await consumeTimes(second.limiter, 'partner', 50);
      await second.batcher.flush();
      // Both are in the direct band now: every request is counted in the store, so the two together stop at 500.
      let admitted = 400;
      for (let turn = 0; admitted < 600; turn++) {
        const limiter = turn % 2 === 0 ? first.limiter : second.limiter;
        if (
          (await limiter.consume('partner').then(
            () => true,
            () => false,
          )) === false
        )
          break;
        admitted++;
      }
      expect(admitted).toBe(500);
      await expect(first.limiter.consume('partner')).rejects.toBeInstanceOf(RateLimiterRes);
    });

    it('overshoots by what the other replica admits before its next flush, never more than limit - band', async () => {
      const first = replica(store, 500);
      const second = replica(store, 500);
      expect(await admittedUntilRefused(first.limiter, 'partner')).toBe(500);
      // The second has not flushed yet: it admits on what it knows (nothing), but only up to the band.
      expect(await admittedUntilRefused(second.limiter, 'partner')).toBe(500 - BAND);
      await expect(first.limiter.consume('partner')).rejects.toBeInstanceOf(RateLimiterRes);
    });

    it('stops admitting on a replica once its flush brought back the other replica counts', async () => {
      const first = replica(store, 500);
      const second = replica(store, 500);
      expect(await admittedUntilRefused(first.limiter, 'partner')).toBe(500);
      await consumeTimes(second.limiter, 'partner', 10);
      await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
      await expect(second.limiter.consume('partner')).rejects.toBeInstanceOf(RateLimiterRes);
    });
  });

  describe('when the store fails', () => {
    it('admits and limits per process, logs once, keeps the counts and sends them once the store is back', async () => {
      const { limiter, logger } = replica(store, 250);
      store.failing = true;
      await consumeTimes(limiter, 'partner', 100);
      await jest.advanceTimersByTimeAsync(3 * FLUSH_INTERVAL_MS);
      expect(await admittedUntilRefused(limiter, 'partner')).toBe(150);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('per process'));

      store.failing = false;
      await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
      expect(store.points('oauth_client:partner')).toBe(250);
      expect(logger.log).toHaveBeenCalledTimes(1);
      expect(logger.log).toHaveBeenCalledWith(expect.stringContaining('shared again'));
    });

    it('falls back to counting here when a count within the direct band fails', async () => {
      const { limiter, logger } = replica(store, 5);
      store.failing = true;
      expect(await admittedUntilRefused(limiter, 'partner')).toBe(5);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      store.failing = false;
      await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
      expect(store.points('oauth_client:partner')).toBe(5);
    });
  });

  it('forgets windows that are over when pruned', async () => {
    const { limiter, batcher } = replica(store, 250);
    expect(await admittedUntilRefused(limiter, 'partner')).toBe(250);
    jest.setSystemTime(Date.now() + WINDOW_MS);
    batcher.prune(Date.now());
    store.rows.clear();
    expect(await admittedUntilRefused(limiter, 'partner')).toBe(250);
  });
});

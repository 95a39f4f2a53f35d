import { Clock } from '../clock.js';
import { TtlCache } from './ttl-cache.js';

class ManualClock extends Clock {
  constructor(private ms = 0) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

describe('TtlCache', () => {
  let clock: ManualClock;
  let cache: TtlCache<string, number>;
  let loads: number;
  const loader = async (): Promise<number> => ++loads;

  beforeEach(() => {
    clock = new ManualClock(1_000);
    cache = new TtlCache(clock, 1_000, 2);
    loads = 0;
  });

  it('serves a value from memory until its time to live runs out', async () => {
    expect(await cache.get('a', loader)).toBe(1);
    clock.advance(999);
    expect(await cache.get('a', loader)).toBe(1);
    clock.advance(1);
    expect(await cache.get('a', loader)).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    const [x, y] = await Promise.all([cache.get('a', loader), cache.get('a', loader)]);
    expect([x, y, loads]).toEqual([1, 1, 1]);
  });

  it('reloads at once after an invalidation', async () => {
    await cache.get('a', loader);
    cache.invalidate('a');
    expect(await cache.get('a', loader)).toBe(2);
  });

  it('does not keep a value whose load raced with an invalidation', async () => {
    let release: (value: number) => void = () => undefined;
    const slow = cache.get('a', () => new Promise<number>((resolve) => (release = resolve)));
    cache.invalidate('a');
    release(41);
    expect(await slow).toBe(41);
    expect(await cache.get('a', loader)).toBe(1);
  });

  it('evicts the oldest entry beyond its size bound', async () => {
    await cache.get('a', loader);
    await cache.get('b', loader);
    await cache.get('c', loader);
    expect(await cache.get('a', loader)).toBe(4);
  });

  it('does not cache a failed load', async () => {
    await expect(cache.get('a', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('a', loader)).toBe(1);
  });
});

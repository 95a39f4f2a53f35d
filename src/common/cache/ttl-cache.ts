import type { Clock } from '../clock.js';

interface Entry<V> {
  readonly value: V;
  readonly loadedAt: number;
}

/**
 * A small read-through cache for hot-path lookups (client state on every token
 * request and every bearer call). Entries live `ttlMs`, so changes written by
 * another process (the CLI, another replica) are seen within that time; the
 * owning process invalidates at once on its own writes. Concurrent misses for
 * one key share a single load, and the size is bounded so that random keys
 * (unknown client IDs) cannot grow it without limit.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loading = new Map<K, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    const now = this.clock.now().getTime();
    if (entry && now - entry.loadedAt < this.ttlMs) return entry.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const promise = load(key)
      .then((value) => {
        // A load that raced with an invalidation must not put stale data back.
        if (generation === this.generation) this.store(key, value, now);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }

  invalidate(key: K): void {
    this.entries.delete(key);
    this.loading.delete(key);
    this.generation++;
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
    this.generation++;
  }

  private store(key: K, value: V, loadedAt: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, loadedAt });
  }
}

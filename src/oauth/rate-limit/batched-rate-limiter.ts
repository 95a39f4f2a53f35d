import { RateLimiterRes } from 'rate-limiter-flexible';
import type { CounterDelta, CounterTotal } from './shared-counters.store.js';

/** What a BatchedRateLimiter needs from the batcher that flushes it (CounterBatcher). */
export interface CounterSync {
  /** False while the shared store is failing: the limits then hold per process. */
  readonly shared: boolean;
  /** Adds one delta to the shared store now; on failure the batcher notes the outage and the promise rejects. */
  addNow(delta: CounterDelta): Promise<CounterTotal>;
  /** A count was taken locally: make sure a flush comes. */
  changed(): void;
}

export interface BatchedLimiterShape {
  readonly keyPrefix: string;
  readonly points: number;
  readonly durationMs: number;
  /** Within this many points of the limit, every request is counted in the shared store at once. */
  readonly directBand: number;
}

/** One key's fixed window as this replica sees it. */
interface Window {
  /** Epoch milliseconds: a local guess until the store answers, then the shared counter's expiry. */
  end: number;
  confirmed: boolean;
  /** The shared counter's points (every replica's flushed counts) at the store's last answer. */
  shared: number;
  /** Counted here and on its way to the store. */
  sending: number;
  /** Counted here and not yet sent. */
  pending: number;
}

/** Counts taken for a flush, kept to settle or restore once the store answers. */
export interface TakenCounts {
  readonly delta: CounterDelta;
  readonly window: Window;
}

/**
 * A fixed-window limiter whose counters live in a shared store but whose
 * requests normally wait for none: each replica counts locally, refuses once
 * (shared count it knows + its own unsent counts) reaches the limit, and a
 * CounterBatcher sends the counts of every touched key in one statement per
 * flush, reading back each key's shared total.
 *
 * Two things keep that close to counting every request in the store:
 * - within `directBand` points of the limit a request is counted in the store
 *   at once (with the counts still pending here), so limits up to the band,
 *   and the last `directBand` points of any limit, are exact across replicas,
 *   and the cost is at most that many statements per key and window;
 * - other replicas' counts reach this one with their next flush, so across N
 *   replicas the overshoot is bounded by what they admit locally between two
 *   flushes: at most N x rate x flush interval, and never more than
 *   (N - 1) x (limit - directBand).
 *
 * Keys, points and windows are those of rate-limiter-flexible's
 * RateLimiterPostgres (`${keyPrefix}:${key}`, a window starting with the first
 * point), and refusals reject with its RateLimiterRes.
 */
export class BatchedRateLimiter {
  private readonly windows = new Map<string, Window>();
  /** Keys counted since the last flush. */
  private readonly touched = new Map<string, Window>();

  constructor(
    private readonly shape: BatchedLimiterShape,
    private readonly sync: CounterSync,
  ) {}

  get points(): number {
    return this.shape.points;
  }

  consume(key: string): Promise<RateLimiterRes> {
    const storeKey = `${this.shape.keyPrefix}:${key}`;
    const now = Date.now();
    const window = this.current(storeKey, now);
    const counted = window.shared + window.sending + window.pending;
    if (counted >= this.shape.points) return Promise.reject(new RateLimiterRes(0, window.end - now, counted + 1, false));
    if (this.shape.points - counted <= this.shape.directBand && this.sync.shared) return this.consumeDirect(key, storeKey, window);
    window.pending++;
    this.touched.set(storeKey, window);
    this.sync.changed();
    return Promise.resolve(new RateLimiterRes(this.shape.points - counted - 1, window.end - now, counted + 1, false));
  }

  /** Moves every unsent count of a live window into `sending`; counts of a window that is over are dropped. */
  takePending(now: number): TakenCounts[] {
    const taken: TakenCounts[] = [];
    for (const [key, window] of this.touched) {
      if (window.pending === 0 || window.end <= now) continue;
      taken.push({ delta: { key, points: window.pending, windowEnd: window.end }, window });
      window.sending += window.pending;
      window.pending = 0;
    }
    this.touched.clear();
    return taken;
  }

  /** The store counted them: what it answered is now the shared count. */
  settle(taken: TakenCounts, total: CounterTotal): void {
    taken.window.sending -= taken.delta.points;
    this.learn(taken.delta.key, taken.window, total);
  }

  /** The store failed: the counts wait for the next flush, and keep counting here meanwhile. */
  restore(taken: TakenCounts): void {
    taken.window.sending -= taken.delta.points;
    this.putBack(taken.delta.key, taken.window, taken.delta.points);
  }

  /** Forgets windows that are over (their counters in the store are swept separately). */
  prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.end <= now && window.sending === 0) this.windows.delete(key);
    }
  }

  private current(storeKey: string, now: number): Window {
    let window = this.windows.get(storeKey);
    if (window === undefined || window.end <= now) {
      window = { end: now + this.shape.durationMs, confirmed: false, shared: 0, sending: 0, pending: 0 };
      this.windows.set(storeKey, window);
    }
    return window;
  }

  /** Near the limit: this request and the counts pending here go to the store together, which decides. */
  private async consumeDirect(key: string, storeKey: string, window: Window): Promise<RateLimiterRes> {
    const points = window.pending + 1;
    window.pending = 0;
    window.sending += points;
    let total: CounterTotal;
    try {
      total = await this.sync.addNow({ key: storeKey, points, windowEnd: window.end });
    } catch {
      // The batcher noted the outage (sync.shared is false now): decide here, as every replica does until it is back.
      window.sending -= points;
      this.putBack(storeKey, window, points - 1);
      return this.consume(key);
    }
    window.sending -= points;
    this.learn(storeKey, window, total);
    const now = Date.now();
    const msBeforeNext = total.expire === null ? -1 : Math.max(total.expire - now, 0);
    // As RateLimiterPostgres: the refused request counts too, so the key stays refused here without asking again.
    if (total.points > this.shape.points) throw new RateLimiterRes(0, msBeforeNext, total.points, false);
    return new RateLimiterRes(this.shape.points - total.points, msBeforeNext, total.points, false);
  }

  private putBack(storeKey: string, window: Window, points: number): void {
    if (points === 0 || this.windows.get(storeKey) !== window || window.end <= Date.now()) return;
    window.pending += points;
    this.touched.set(storeKey, window);
    this.sync.changed();
  }

  private learn(storeKey: string, window: Window, total: CounterTotal): void {
    // An answer about a window this replica has already left behind says nothing about the current one.
    if (this.windows.get(storeKey) !== window || (total.expire !== null && total.expire <= Date.now())) return;
    if (!window.confirmed || total.expire !== window.end) {
      // The first answer, or another window: the store's expiry is the window every replica shares.
      window.end = total.expire ?? window.end;
      window.confirmed = true;
      window.shared = total.points;
    } else {
      // Answers may arrive out of order (a flush and a direct count in flight together); within a window counts only grow.
      window.shared = Math.max(window.shared, total.points);
    }
  }
}

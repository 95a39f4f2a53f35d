import type { LoggerService } from '@nestjs/common';
import { BatchedRateLimiter, type BatchedLimiterShape, type CounterSync, type TakenCounts } from './batched-rate-limiter.js';
import type { CounterDelta, CounterTotal, SharedCounterStore } from './shared-counters.store.js';

/** How long a local count may wait before it is sent: the cross-replica overshoot grows with it. */
export const FLUSH_INTERVAL_MS = 200;

/**
 * Sends the local counts of its BatchedRateLimiters to the shared store: one
 * statement for every key touched since the last flush, FLUSH_INTERVAL_MS
 * after the first count, and none while nothing was counted (no timer runs
 * then). A store failure is logged once and the limits hold per process, the
 * unsent counts kept for the next flush, until a flush succeeds again; no
 * request ever fails or waits because of it. close() sends what is left.
 */
export class CounterBatcher implements CounterSync {
  private readonly limiters: BatchedRateLimiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failing = false;
  private closed = false;

  constructor(
    private readonly store: SharedCounterStore,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
    private readonly flushIntervalMs = FLUSH_INTERVAL_MS,
  ) {}

  get shared(): boolean {
    return !this.failing;
  }

  limiter(shape: BatchedLimiterShape): BatchedRateLimiter {
    const limiter = new BatchedRateLimiter(shape, this);
    this.limiters.push(limiter);
    return limiter;
  }

  changed(): void {
    // After close() nothing flushes again: a count taken then is lost, as it would be with the process.
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs).unref();
  }

  async addNow(delta: CounterDelta): Promise<CounterTotal> {
    try {
      const [total] = await this.store.add([delta]);
      if (total === undefined) throw new Error(`the store returned no counter for ${delta.key}`);
      return total;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  /** Sends every count taken so far; resolves once the store answered (or failed: the counts are then kept). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // One flush at a time: a key's deltas must not race each other to the store.
    while (this.flushing) await this.flushing;
    this.flushing = this.send().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  prune(now: number): void {
    for (const limiter of this.limiters) limiter.prune(now);
  }

  private async send(): Promise<void> {
    const now = Date.now();
    const taken = this.limiters.flatMap((limiter) => limiter.takePending(now).map((counts) => ({ limiter, counts })));
    if (taken.length === 0) return;
    let totals: Map<string, CounterTotal>;
    try {
      totals = new Map((await this.store.add(taken.map(({ counts }) => counts.delta))).map((total) => [total.key, total]));
    } catch (error) {
      for (const { limiter, counts } of taken) limiter.restore(counts);
      this.failed(error);
      return;
    }
    for (const { limiter, counts } of taken) settle(limiter, counts, totals.get(counts.delta.key));
    this.recovered();
  }

  private failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`the rate-limit store failed (${reason}); OAuth rate limits hold per process until it is back`);
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log('the rate-limit store is back; OAuth rate limits are shared again');
  }
}

function settle(limiter: BatchedRateLimiter, counts: TakenCounts, total: CounterTotal | undefined): void {
  // Every inserted or updated row is returned; a missing one would be a store bug: keep the counts rather than lose them.
  if (total === undefined) limiter.restore(counts);
  else limiter.settle(counts, total);
}

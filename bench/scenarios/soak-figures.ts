/** One reading taken during the soak. */
export interface SoakSample {
  /** Seconds since the soak started. */
  readonly t: number;
  readonly rssBytes: number;
  /** prom-client's event-loop delay p99 since the previous scrape; null when the scrape failed or was not taken (the last, RSS-only reading). */
  readonly lagP99Ms: number | null;
}

/**
 * RSS growth from after warm-up to the end. The warm-up is the first minute
 * (a tenth of a soak shorter than ten minutes). Each end is the median of the
 * samples in a window a tenth of the soak long, so one garbage-collection
 * peak or trough does not decide the figure.
 */
export function rssGrowth(
  samples: readonly SoakSample[],
  seconds: number,
): { afterWarmupBytes: number; endBytes: number; percent: number } {
  const warmup = Math.min(60, seconds / 10);
  const window = Math.max(1, seconds / 10);
  const afterWarmup = median(samples.filter((s) => s.t >= warmup && s.t <= warmup + window).map((s) => s.rssBytes));
  const end = median(samples.filter((s) => s.t >= seconds - window).map((s) => s.rssBytes));
  if (afterWarmup === undefined || end === undefined) throw new Error('Too few soak samples to measure RSS growth.');
  return { afterWarmupBytes: afterWarmup, endBytes: end, percent: ((end - afterWarmup) / afterWarmup) * 100 };
}

/**
 * Event-loop lag after the warm-up. prom-client's p99 covers the time since
 * the previous scrape, so each sample is the p99 of a few seconds: the worst
 * of them (what the target is judged on) and their median (the usual case).
 *
 * Each reading is the time between two ticks of the monitor's timer, which
 * fires every `samplingMs`: an idle process reads about `samplingMs` (10.5 ms
 * p99 on this harness's machine), not 0. The lag is what exceeds the tick,
 * as @fastify/under-pressure computes it; `worstScrapedMs` keeps the reading as scraped.
 */
export function lagFigures(
  samples: readonly SoakSample[],
  seconds: number,
  samplingMs: number,
): { worstMs: number; medianMs: number; worstScrapedMs: number } {
  const warmup = Math.min(60, seconds / 10);
  const scraped = samples.filter((s) => s.t >= warmup && s.lagP99Ms !== null).map((s) => s.lagP99Ms!);
  const lags = scraped.map((reading) => Math.max(0, reading - samplingMs));
  return { worstMs: Math.max(0, ...lags), medianMs: median(lags) ?? 0, worstScrapedMs: Math.max(0, ...scraped) };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The soak's steady load: half the server's capacity in all. Token requests
 * and reads share the one process, so each stream gets a quarter of what the
 * server served of it alone just before (half of the half); at least one a second.
 */
export function soakRates(tokenCapacity: number, readCapacity: number): { tokenRate: number; readRate: number } {
  return { tokenRate: Math.max(1, Math.round(tokenCapacity / 4)), readRate: Math.max(1, Math.round(readCapacity / 4)) };
}

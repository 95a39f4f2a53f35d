/** One reading taken during the soak. */
export interface SoakSample {
  /** Seconds since the soak started. */
  readonly t: number;
  readonly rssBytes: number;
  /** prom-client's event-loop delay p99 since the previous scrape; null when the scrape failed or was not taken (the last, RSS-only reading). */
  readonly lagP99Ms: number | null;
}

/**
 * RSS growth over the soak, read on its low readings. Under the soak's load V8
 * lets the old generation fill between major collections, so RSS climbs by up
 * to about 120 MB over 60-110 s and falls back; a window's median reads
 * wherever that cycle stands, and the same code read 1.1 % and 10.1 % in two
 * runs that way (docs/benchmarks.md, "Soak"). A leak raises the low readings,
 * the cycle does not: so the low reading of the first third after warm-up (the
 * first minute, or a tenth of a short soak) against that of the last third,
 * each third longer than the cycle. The low reading is the lower decile, not
 * the minimum: RSS can dip for one reading as V8 returns pages and takes them
 * back. For a steady leak the two are two thirds of the measured span apart,
 * so their rise is scaled by 3/2: a leak reads at its full size over the span.
 */
export function rssGrowth(
  samples: readonly SoakSample[],
  seconds: number,
): { firstLowBytes: number; lastLowBytes: number; percent: number } {
  const warmup = Math.min(60, seconds / 10);
  const third = (seconds - warmup) / 3;
  const low = (from: number, to: number): number | undefined =>
    lowerDecile(samples.filter((s) => s.t >= from && s.t <= to && s.rssBytes > 0).map((s) => s.rssBytes));
  const firstLow = low(warmup, warmup + third);
  const lastLow = low(seconds - third, Number.POSITIVE_INFINITY);
  if (firstLow === undefined || lastLow === undefined) throw new Error('Too few soak samples to measure RSS growth.');
  return { firstLowBytes: firstLow, lastLowBytes: lastLow, percent: ((lastLow - firstLow) / firstLow) * 100 * 1.5 };
}

/** The value a tenth of the way up the sorted values (nearest rank). */
export function lowerDecile(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 10) - 1];
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

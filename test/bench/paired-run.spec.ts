import type { LoadMeasurement, LoadOptions } from '../../bench/load/autocannon-run.js';
import { type LoadTarget, measurePaired, type PairedLoadOptions, roundOrder, type SliceDriver } from '../../bench/load/paired-run.js';
import * as hdr from 'hdr-histogram-js';
import { addHistograms, median, poolSlices } from '../../bench/load/pooled-slices.js';
import { loadSlice, MB } from './bench-factories.js';

/** A latency histogram as autocannon encodes it, with `count` requests at each of the given milliseconds. */
function latencies(counts: Record<number, number>): string {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000, numberOfSignificantValueDigits: 5 });
  for (const [ms, count] of Object.entries(counts)) histogram.recordValueWithCount(Number(ms), count);
  return hdr.encodeIntoCompressedBase64(histogram);
}

describe('poolSlices', () => {
  const slices = [
    loadSlice(2, 4_000, 1, { p50Ms: 5, p99Ms: 9, errors: 1, errorDetail: { statuses: { '500': 1 }, connectionErrors: 0, timeouts: 0 } }),
    loadSlice(3, 3_000, 3, { p50Ms: 8, p99Ms: 30, errors: 2, errorDetail: { statuses: { '500': 1 }, connectionErrors: 1, timeouts: 1 } }),
    loadSlice(1, 2_000, 0.5, { p50Ms: 6, p99Ms: 12 }),
  ];

  it('sums requests, errors and measured time, and takes the rate over the summed time', () => {
    // The slices ran at 2,000, 1,000 and 2,000 req/s: the mean of those (1,667) would overweight the short slice.
    const pooled = poolSlices(slices);
    expect(pooled).toMatchObject({ requests: 9_000, errors: 3, durationSeconds: 6, requestsPerSecond: 1_500 });
    expect(pooled.errorDetail).toEqual({ statuses: { '500': 2 }, connectionErrors: 1, timeouts: 1 });
  });

  it("bounds latency by the median of the slices' p50s and the largest slice p99 when a slice has no histogram", () => {
    expect(poolSlices(slices)).toMatchObject({ p50Ms: 6, p99Ms: 30 });
    expect(poolSlices(slices).latencyHistogram).toBeUndefined();
  });

  it('takes p50 and p99 over every request of the row from the slices’ histograms', () => {
    // 2 % of the first slice's requests took 40 ms (its p99), none of the second's: 1 % of the row's.
    const first = loadSlice(1, 1_000, 1, { p50Ms: 5, p99Ms: 40, latencyHistogram: latencies({ 5: 980, 40: 20 }) });
    const second = loadSlice(1, 1_000, 1, { p50Ms: 3, p99Ms: 3, latencyHistogram: latencies({ 3: 1_000 }) });
    const pooled = poolSlices([first, second]);
    expect(pooled).toMatchObject({ p50Ms: 3, p99Ms: 5 });
    expect(addHistograms([pooled.latencyHistogram!]).totalCount).toBe(2_000);
  });

  it('still shows a slow slice when more than 1 % of the row was slow', () => {
    const first = loadSlice(1, 1_000, 1, { latencyHistogram: latencies({ 4: 1_000 }) });
    const second = loadSlice(1, 1_000, 1, { latencyHistogram: latencies({ 4: 970, 60: 30 }) });
    expect(poolSlices([first, second])).toMatchObject({ p50Ms: 4, p99Ms: 60 });
  });

  it('sums server CPU seconds and gives CPU % over the summed time', () => {
    // 4.5 s of CPU over 6 s measured.
    expect(poolSlices(slices).server.cpuSeconds).toBe(4.5);
    expect(poolSlices(slices).server.cpuPercent).toBe(75);
  });

  it("keeps the largest peak RSS and the last slice's end RSS", () => {
    const pooled = poolSlices([
      loadSlice(1, 1, 1, { server: { cpuSeconds: 1, cpuPercent: 100, peakRssBytes: 120 * MB, endRssBytes: 110 * MB } }),
      loadSlice(1, 1, 1, { server: { cpuSeconds: 1, cpuPercent: 100, peakRssBytes: 115 * MB, endRssBytes: 105 * MB } }),
    ]);
    expect(pooled.server).toMatchObject({ peakRssBytes: 120 * MB, endRssBytes: 105 * MB });
  });

  it('reads a single slice back unchanged in its figures', () => {
    const one = loadSlice(4, 4_000, 2, { p50Ms: 3, p99Ms: 7 });
    expect(poolSlices([one])).toMatchObject({ requestsPerSecond: 1_000, p50Ms: 3, p99Ms: 7, server: { cpuPercent: 50 } });
  });

  it('refuses to pool nothing', () => {
    expect(() => poolSlices([])).toThrow('at least one measured slice');
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle values of an even count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([8, 2, 6, 4])).toBe(5);
  });
});

describe('roundOrder', () => {
  it('alternates which target goes first: A B, B A, A B, B A', () => {
    expect(roundOrder(4)).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(roundOrder(1)).toEqual([[0, 1]]);
  });
});

/** Records every call instead of driving load; each slice serves 1,000 requests a second of its length. */
class RecordingDriver implements SliceDriver {
  readonly calls: string[] = [];

  async warmUp(target: LoadTarget, options: LoadOptions): Promise<void> {
    this.calls.push(`warm-up ${target.pid} ${options.durationSeconds} s`);
  }

  async measure(target: LoadTarget, options: LoadOptions): Promise<LoadMeasurement> {
    this.calls.push(`measure ${target.pid} ${options.durationSeconds} s`);
    return loadSlice(options.durationSeconds, 1_000 * options.durationSeconds * target.pid, options.durationSeconds);
  }
}

describe('measurePaired', () => {
  const targets: [LoadTarget, LoadTarget] = [
    { request: { url: 'http://127.0.0.1:1/a' }, pid: 1 },
    { request: { url: 'http://127.0.0.1:2/b' }, pid: 2 },
  ];
  const options: PairedLoadOptions = { connections: 50, durationSeconds: 8, warmupSeconds: 2, rounds: 4 };

  it('warms each target up once, then measures both in every round, alternating which goes first', async () => {
    const driver = new RecordingDriver();
    await measurePaired(targets, options, driver);
    expect(driver.calls).toEqual([
      'warm-up 1 2 s',
      'warm-up 2 2 s',
      'measure 1 2 s',
      'measure 2 2 s',
      'measure 2 2 s',
      'measure 1 2 s',
      'measure 1 2 s',
      'measure 2 2 s',
      'measure 2 2 s',
      'measure 1 2 s',
    ]);
  });

  it("pools each target's own slices, in the order they ran", async () => {
    const [a, b] = await measurePaired(targets, options, new RecordingDriver());
    expect(a.slices).toHaveLength(4);
    expect(b.slices).toHaveLength(4);
    expect(a.pooled).toMatchObject({ requests: 8_000, durationSeconds: 8, requestsPerSecond: 1_000 });
    expect(b.pooled).toMatchObject({ requests: 16_000, durationSeconds: 8, requestsPerSecond: 2_000 });
  });

  it('skips the warm-up when it is zero and refuses a round count that is not a whole number', async () => {
    const driver = new RecordingDriver();
    await measurePaired(targets, { ...options, warmupSeconds: 0, rounds: 1 }, driver);
    expect(driver.calls).toEqual(['measure 1 8 s', 'measure 2 8 s']);
    await expect(measurePaired(targets, { ...options, rounds: 0 }, driver)).rejects.toThrow('rounds must be a whole number');
    await expect(measurePaired(targets, { ...options, rounds: 1.5 }, driver)).rejects.toThrow('rounds must be a whole number');
  });
});

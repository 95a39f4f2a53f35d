import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { ErrorDetail, LoadMeasurement } from './autocannon-run.js';

/**
 * One row's figures from the slices it was measured in (see paired-run.ts).
 * Counts and CPU time add up, and rates are taken over the summed measured
 * time, so a pooled row reads like one run of that length. Latency too: the
 * slices' histograms are added, and p50 and p99 are those of every request of
 * the row, as one run's would be. Slices measured without a histogram can
 * only be bounded: p50 the median of their p50s, p99 the largest of their
 * p99s, which can overstate the row's p99 but never hide a slow slice.
 */
export function poolSlices(slices: readonly LoadMeasurement[]): LoadMeasurement {
  const last = slices.at(-1);
  if (!last) throw new Error('A row needs at least one measured slice.');
  const sum = (figure: (slice: LoadMeasurement) => number): number => slices.reduce((total, slice) => total + figure(slice), 0);
  const requests = sum((slice) => slice.requests);
  // autocannon's durations have 10 ms resolution; rounding drops the floating-point dust of the sum.
  const seconds = Math.round(sum((slice) => slice.durationSeconds) * 1000) / 1000;
  const cpuSeconds = sum((slice) => slice.server.cpuSeconds);
  return {
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    requests,
    ...poolLatency(slices),
    errors: sum((slice) => slice.errors),
    errorDetail: poolErrorDetail(slices.map((slice) => slice.errorDetail)),
    durationSeconds: seconds,
    server: {
      // Over autocannon's measured time, as req/s is; the sampler's own interval is that plus a few milliseconds.
      cpuPercent: seconds > 0 ? (cpuSeconds / seconds) * 100 : 0,
      cpuSeconds,
      peakRssBytes: Math.max(...slices.map((slice) => slice.server.peakRssBytes)),
      endRssBytes: last.server.endRssBytes,
    },
  };
}

function poolLatency(slices: readonly LoadMeasurement[]): Pick<LoadMeasurement, 'p50Ms' | 'p99Ms' | 'latencyHistogram'> {
  const encoded = slices.map((slice) => slice.latencyHistogram);
  if (!encoded.every((histogram) => histogram !== undefined)) {
    return { p50Ms: median(slices.map((slice) => slice.p50Ms)), p99Ms: Math.max(...slices.map((slice) => slice.p99Ms)) };
  }
  const pooled = addHistograms(encoded);
  // getValueAtPercentile is how autocannon turns its histogram into p50 and p99 (hdr-histogram-percentiles-obj).
  return {
    p50Ms: pooled.getValueAtPercentile(50),
    p99Ms: pooled.getValueAtPercentile(99),
    latencyHistogram: hdr.encodeIntoCompressedBase64(pooled),
  };
}

/** The histograms' sum: every value recorded in any of them. */
export function addHistograms(encoded: readonly string[]): Histogram {
  const [first, ...rest] = encoded.map((histogram) => hdr.decodeFromCompressedBase64(histogram));
  if (!first) throw new Error('No histograms to add.');
  for (const histogram of rest) first.add(histogram);
  return first;
}

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('No values to take the median of.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function poolErrorDetail(details: readonly ErrorDetail[]): ErrorDetail {
  const statuses: Record<string, number> = {};
  for (const detail of details) {
    for (const [status, count] of Object.entries(detail.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  }
  return {
    statuses,
    connectionErrors: details.reduce((total, detail) => total + detail.connectionErrors, 0),
    timeouts: details.reduce((total, detail) => total + detail.timeouts, 0),
  };
}

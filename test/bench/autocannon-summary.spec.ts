import type { Result } from 'autocannon';
import { inTurn, summarize } from '../../bench/load/autocannon-run.js';

function result(overrides: Partial<Result>): Result {
  const histogram = { average: 4, mean: 4, stddev: 1, min: 1, max: 40, total: 0, p50: 3, p90: 6, p97_5: 8, p99: 9, p99_9: 20 };
  return {
    duration: 10,
    requests: { ...histogram, sent: 10_000 },
    latency: histogram,
    throughput: histogram,
    errors: 0,
    timeouts: 0,
    mismatches: 0,
    non2xx: 0,
    statusCodeStats: { '200': { count: 10_000 } },
    ...overrides,
  };
}

const usage = { cpuPercent: 95, cpuSeconds: 9.5, peakRssBytes: 1, endRssBytes: 1 };

describe('summarize', () => {
  it('counts only 200 responses as served', () => {
    const m = summarize(result({}), usage);
    expect(m).toMatchObject({ requests: 10_000, requestsPerSecond: 1_000, p50Ms: 3, p99Ms: 9, errors: 0, server: usage });
  });

  it('counts any other status as an error, a 2xx that is not 200 included', () => {
    const m = summarize(result({ statusCodeStats: { '200': { count: 9_000 }, '204': { count: 10 }, '429': { count: 990 } } }), usage);
    expect(m.requestsPerSecond).toBe(900);
    expect(m.errors).toBe(1_000);
    expect(m.errorDetail.statuses).toEqual({ '204': 10, '429': 990 });
  });

  it('adds connection errors, timeouts (already among them) and body mismatches', () => {
    const m = summarize(result({ errors: 7, timeouts: 3, mismatches: 2 }), usage);
    expect(m.errors).toBe(9);
    expect(m.errorDetail).toEqual({ statuses: {}, connectionErrors: 4, timeouts: 3 });
  });
});

describe('inTurn', () => {
  it('gives each request sent the next path, whichever connection sends it, and starts over after the last', () => {
    const next = inTurn(['/a', '/b', '/c']);
    const sent = Array.from({ length: 7 }, () => next({ path: '/ignored' }).path);
    expect(sent).toEqual(['/a', '/b', '/c', '/a', '/b', '/c', '/a']);
  });
});

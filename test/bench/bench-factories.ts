import type { LoadMeasurement } from '../../bench/load/autocannon-run.js';
import type { LoadRow, SoakResult, StartupResult, SyncResult, SyncRunFigures } from '../../bench/results.js';

const MB = 1024 * 1024;

export function measurement(overrides: Partial<LoadMeasurement> = {}): LoadMeasurement {
  return {
    requestsPerSecond: 1_000,
    requests: 10_000,
    p50Ms: 5,
    p99Ms: 9,
    errors: 0,
    errorDetail: { statuses: {}, connectionErrors: 0, timeouts: 0 },
    durationSeconds: 10,
    server: { cpuPercent: 100, cpuSeconds: 10, peakRssBytes: 100 * MB, endRssBytes: 90 * MB },
    ...overrides,
  };
}

/** One slice of a paired row: `seconds` measured, `requests` 200s served, `cpuSeconds` used by the server. */
export function loadSlice(
  seconds: number,
  requests: number,
  cpuSeconds: number,
  overrides: Partial<LoadMeasurement> = {},
): LoadMeasurement {
  return measurement({
    durationSeconds: seconds,
    requests,
    requestsPerSecond: requests / seconds,
    server: { cpuSeconds, cpuPercent: (cpuSeconds / seconds) * 100, peakRssBytes: 100 * MB, endRssBytes: 90 * MB },
    ...overrides,
  });
}

export function row(id: string, overrides: Partial<LoadMeasurement> = {}): LoadRow {
  const [scenario, where] = id.split('/') as [LoadRow['scenario'], string];
  const reference = scenario === 'reference';
  return {
    id,
    scenario,
    title: `${scenario} row`,
    server: reference ? (where as LoadRow['server']) : 'orgsync',
    database: reference ? null : where,
    measurement: measurement(overrides),
  };
}

export function syncRun(overrides: Partial<SyncRunFigures> = {}): SyncRunFigures {
  return {
    mode: 'full',
    status: 'succeeded',
    seconds: 10,
    records: 101_000,
    users: 100_000,
    recordsPerSecond: 10_100,
    usersPerSecond: 10_000,
    pages: 202,
    peakRssBytes: 200 * MB,
    ...overrides,
  };
}

export function syncResult(overrides: Partial<SyncResult> = {}): SyncResult {
  const full = syncRun();
  const incremental = syncRun({ mode: 'incremental', seconds: 0.25, records: 1_001, users: 1_000 });
  return {
    database: 'SQLite',
    users: 100_000,
    groups: 1_000,
    full,
    incremental,
    peakRssBytes: 200 * MB,
    incrementalSpeedup: 40,
    ...overrides,
  };
}

export function startup(overrides: Partial<StartupResult> = {}): StartupResult {
  return { database: 'SQLite', freshReadyMs: 900, existingReadyMs: 700, idleRssBytes: 120 * MB, idleSeconds: 5, ...overrides };
}

export function soak(overrides: Partial<SoakResult> = {}): SoakResult {
  return {
    seconds: 600,
    tokenRate: 1_000,
    readRate: 2_500,
    tokens: measurement(),
    reads: measurement(),
    syncRuns: { succeeded: 10, failed: 0 },
    errors: 0,
    rssFirstLowBytes: 150 * MB,
    rssLastLowBytes: 153 * MB,
    rssGrowthPercent: 3,
    eventLoopLagP99Ms: 12,
    eventLoopLagP99MedianMs: 11,
    eventLoopLagP99ScrapedMs: 22,
    samples: [],
    ...overrides,
  };
}

export { MB };

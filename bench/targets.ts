import { bytesToMb, formatCount, formatMb, formatMs, formatRatio, formatSeconds, ratio } from './format.js';
import type { LoadMeasurement } from './load/autocannon-run.js';
import { type BenchResults, type LoadRow, nestFloorRowId, oidcProviderRowId, type TargetResult, type TargetStatus } from './results.js';

/** The targets of issue 8, as thresholds the harness checks against one run. */
export const TARGETS = {
  tokenVsOidcProvider: 2.0,
  tokenP99Ms: 10,
  readRequestsPerSecond: 10_000,
  readP99Ms: 10,
  listBigVsSmall: 1.5,
  syncUsersPerSecond: 5_000,
  syncPeakRssMb: 300,
  incrementalSpeedup: 20,
  readyMs: 2_000,
  idleRssMb: 150,
  soakRssGrowthPercent: 10,
  soakLagP99Ms: 50,
} as const;

type Measured = Pick<BenchResults, 'load' | 'startup' | 'sync' | 'soak'>;

/** Every target, met or not with the figure that decides it; "not measured" when its rows were not run. */
export function evaluateTargets(results: Measured): TargetResult[] {
  return [
    ...tokenTargets(results),
    ...readTargets(results),
    ...listTargets(results),
    ...syncTargets(results),
    ...startupTargets(results),
    ...soakTargets(results),
  ];
}

/**
 * Each database's token row against the oidc-provider row of its own
 * database (oidcProviderRowId): on PostgreSQL, the one measured alongside it.
 * The NestJS floor's token row, when measured, is shown beside the figures
 * and decides nothing.
 */
function tokenTargets({ load }: Measured): TargetResult[] {
  const floor = nestFloor(load, 'token');
  const rows = orgsyncRows(load, 'token');
  if (rows.length === 0)
    return [notMeasured(`Token endpoint >= ${TARGETS.tokenVsOidcProvider}x oidc-provider`), notMeasured(tokenLatencyName('SQLite'))];
  return rows.flatMap((row) => {
    const m = row.measurement;
    const oidc = load.find((candidate) => candidate.id === oidcProviderRowId(row.database!));
    const vsOidc = ratio(m.requestsPerSecond, oidc?.measurement.requestsPerSecond);
    return [
      vsOidc === null
        ? notMeasured(`Token endpoint >= ${TARGETS.tokenVsOidcProvider}x oidc-provider (${row.database})`)
        : result(
            `Token endpoint >= ${TARGETS.tokenVsOidcProvider}x oidc-provider (${row.database})`,
            vsOidc >= TARGETS.tokenVsOidcProvider,
            `${formatCount(m.requestsPerSecond)} req/s = ${formatRatio(vsOidc)} oidc-provider's ${formatCount(oidc!.measurement.requestsPerSecond)}${floorRatio(floor, oidc!.measurement)}`,
          ),
      result(
        tokenLatencyName(row.database!),
        m.p99Ms < TARGETS.tokenP99Ms && m.errors === 0,
        `p99 ${formatMs(m.p99Ms)}, ${formatCount(m.errors)} errors${floorFigures(floor)}`,
      ),
    ];
  });
}

function tokenLatencyName(database: string): string {
  return `Token endpoint p99 < ${TARGETS.tokenP99Ms} ms at 50 connections, 0 errors (${database})`;
}

function readTargets({ load }: Measured): TargetResult[] {
  const name = `Protected read >= ${formatCount(TARGETS.readRequestsPerSecond)} req/s, p99 < ${TARGETS.readP99Ms} ms (SQLite)`;
  const row = orgsyncRows(load, 'read').find((candidate) => candidate.database === 'SQLite');
  if (!row) return [notMeasured(name)];
  const m = row.measurement;
  return [
    result(
      name,
      m.requestsPerSecond >= TARGETS.readRequestsPerSecond && m.p99Ms < TARGETS.readP99Ms && m.errors === 0,
      `${formatCount(m.requestsPerSecond)} req/s, p99 ${formatMs(m.p99Ms)}, ${formatCount(m.errors)} errors${floorFigures(nestFloor(load, 'read'))}`,
    ),
  ];
}

/** The NestJS floor row's measurement (nest-floor-rows.ts), if it was run. */
function nestFloor(load: readonly LoadRow[], row: 'token' | 'read'): LoadMeasurement | undefined {
  return load.find((candidate) => candidate.id === nestFloorRowId(row))?.measurement;
}

/** The floor's figures as context after a target's own, or nothing without the floor row. */
function floorFigures(floor: LoadMeasurement | undefined): string {
  return floor ? ` (NestJS floor in this run: p99 ${formatMs(floor.p99Ms)}, ${formatCount(floor.requestsPerSecond)} req/s)` : '';
}

/** The floor's token req/s as a multiple of the same oidc-provider row's, or nothing without the floor row. */
function floorRatio(floor: LoadMeasurement | undefined, oidc: LoadMeasurement): string {
  return floor ? ` (NestJS floor: ${formatRatio(ratio(floor.requestsPerSecond, oidc.requestsPerSecond))})` : '';
}

/**
 * The time of a page is measured as the inverse of throughput at 50
 * connections (autocannon's latency has 1 ms resolution, too coarse for pages
 * this fast): the big page is within 1.5x when small req/s <= 1.5 x big req/s.
 */
function listTargets({ load }: Measured): TargetResult[] {
  const bigs = orgsyncRows(load, 'list-big');
  if (bigs.length === 0) return [notMeasured(listName('SQLite'))];
  return bigs.map((big) => {
    const small = load.find((row) => row.id === `list-small/${big.database}`);
    const slower = small ? ratio(small.measurement.requestsPerSecond, big.measurement.requestsPerSecond) : null;
    if (!small || slower === null) return notMeasured(listName(big.database!));
    return result(
      listName(big.database!),
      slower <= TARGETS.listBigVsSmall,
      `${formatRatio(slower)} the time (${formatCount(small.measurement.requestsPerSecond)} vs ${formatCount(big.measurement.requestsPerSecond)} pages/s; p50 ${formatMs(small.measurement.p50Ms)} vs ${formatMs(big.measurement.p50Ms)})`,
    );
  });
}

function listName(database: string): string {
  return `List page on the big organization within ${TARGETS.listBigVsSmall}x the time of the small one (${database})`;
}

function syncTargets({ sync }: Measured): TargetResult[] {
  if (sync.length === 0) {
    return [notMeasured(`Sync >= ${formatCount(TARGETS.syncUsersPerSecond)} users/s (SQLite)`)];
  }
  return sync.flatMap((run) => [
    result(
      `Sync >= ${formatCount(TARGETS.syncUsersPerSecond)} users/s (${run.database})`,
      // A first run that was not a full listing measured something else.
      run.full.status === 'succeeded' && run.full.mode === 'full' && run.full.usersPerSecond >= TARGETS.syncUsersPerSecond,
      `${formatCount(run.full.usersPerSecond)} users/s (${formatCount(run.full.users)} users in ${formatSeconds(run.full.seconds)}, ${run.full.mode} run ${run.full.status})`,
    ),
    result(
      `Sync peak RSS < ${TARGETS.syncPeakRssMb} MB at ${formatCount(run.users)} users (${run.database})`,
      bytesToMb(run.peakRssBytes) < TARGETS.syncPeakRssMb,
      formatMb(run.peakRssBytes),
    ),
    result(
      `Incremental sync (1 % changed) >= ${TARGETS.incrementalSpeedup}x faster than full (${run.database})`,
      run.incremental.status === 'succeeded' && run.incrementalSpeedup >= TARGETS.incrementalSpeedup,
      `${formatRatio(run.incrementalSpeedup)} (${formatSeconds(run.incremental.seconds)} vs ${formatSeconds(run.full.seconds)})`,
    ),
  ]);
}

function startupTargets({ startup }: Measured): TargetResult[] {
  const ready = `Ready within ${formatCount(TARGETS.readyMs)} ms of start (SQLite, fresh and existing database)`;
  const idle = `RSS at idle < ${TARGETS.idleRssMb} MB`;
  if (!startup) return [notMeasured(ready), notMeasured(idle)];
  return [
    result(
      ready,
      Math.max(startup.freshReadyMs, startup.existingReadyMs) < TARGETS.readyMs,
      `fresh ${formatMs(startup.freshReadyMs)}, existing ${formatMs(startup.existingReadyMs)}`,
    ),
    result(idle, bytesToMb(startup.idleRssBytes) < TARGETS.idleRssMb, formatMb(startup.idleRssBytes)),
  ];
}

function soakTargets({ soak }: Measured): TargetResult[] {
  const names = [
    'Soak: 0 errors',
    `Soak: RSS growth after warm-up < ${TARGETS.soakRssGrowthPercent} %`,
    `Soak: event-loop lag p99 < ${TARGETS.soakLagP99Ms} ms`,
  ];
  if (!soak) return names.map(notMeasured);
  return [
    result(names[0]!, soak.errors === 0, `${formatCount(soak.errors)} errors over ${formatSeconds(soak.seconds)}`),
    result(
      names[1]!,
      soak.rssGrowthPercent < TARGETS.soakRssGrowthPercent,
      `${soak.rssGrowthPercent.toFixed(1)} % (low RSS ${formatMb(soak.rssFirstLowBytes)} in the first third, ${formatMb(soak.rssLastLowBytes)} in the last)`,
    ),
    result(
      names[2]!,
      soak.eventLoopLagP99Ms < TARGETS.soakLagP99Ms,
      `${formatMs(soak.eventLoopLagP99Ms)} at most beyond the 10 ms tick (${formatMs(soak.eventLoopLagP99ScrapedMs)} as scraped)`,
    ),
  ];
}

function orgsyncRows(load: readonly LoadRow[], scenario: LoadRow['scenario']): LoadRow[] {
  return load.filter((row) => row.server === 'orgsync' && row.scenario === scenario);
}

function result(target: string, met: boolean, figure: string): TargetResult {
  const status: TargetStatus = met ? 'met' : 'not met';
  return { target, status, figure };
}

function notMeasured(target: string): TargetResult {
  return { target, status: 'not measured', figure: '–' };
}

import type { LoadMeasurement } from './load/autocannon-run.js';
import type { RowRatios } from './ratios.js';

/** Which server answered a load row. */
export type ServerName = 'orgsync' | 'node:http' | 'oidc-provider' | 'nest-floor';

/** One autocannon row of the table. */
export interface LoadRow {
  /** Stable key, e.g. "token/SQLite", "reference/node:http". */
  readonly id: string;
  readonly scenario: 'token' | 'read' | 'list-small' | 'list-big' | 'reference';
  /** What was asked, e.g. "POST /oauth/token (client_secret_basic)". */
  readonly title: string;
  readonly server: ServerName;
  /** "SQLite" or "PostgreSQL" for orgsync rows. */
  readonly database: string | null;
  readonly measurement: LoadMeasurement;
  /** For a row measured in alternating slices with another (paired-run.ts): its slices in the order they ran. */
  readonly slices?: readonly LoadMeasurement[];
}

/**
 * The id of the oidc-provider row a database's token row is judged against:
 * "reference/oidc-provider" on SQLite (the reference of every row's
 * "÷ oidc-provider" column too), "reference/oidc-provider/PostgreSQL" for the
 * one measured alongside the PostgreSQL token row.
 */
export function oidcProviderRowId(database: string): string {
  return database === 'SQLite' ? 'reference/oidc-provider' : `reference/oidc-provider/${database}`;
}

/**
 * The id of a NestJS floor row (nest-floor-server.ts): the token or read
 * endpoint of a minimal NestJS app on Fastify, the context of orgsync's
 * token and read targets.
 */
export function nestFloorRowId(row: 'token' | 'read'): string {
  return `reference/nest-floor/${row}`;
}

export interface StartupResult {
  readonly database: string;
  /** Spawn to the first 200 from GET /health/ready, on a new database (migrations, first signing key). */
  readonly freshReadyMs: number;
  /** The same, restarting on the database the first start made. */
  readonly existingReadyMs: number;
  /** RSS after being ready and idle for `idleSeconds`. */
  readonly idleRssBytes: number;
  readonly idleSeconds: number;
}

export interface SyncRunFigures {
  readonly mode: string;
  readonly status: string;
  readonly seconds: number;
  readonly records: number;
  readonly users: number;
  readonly recordsPerSecond: number;
  readonly usersPerSecond: number;
  readonly pages: number;
  readonly peakRssBytes: number;
}

export interface SyncResult {
  readonly database: string;
  readonly users: number;
  readonly groups: number;
  readonly full: SyncRunFigures;
  readonly incremental: SyncRunFigures;
  /** Peak RSS of the orgsync process over both runs. */
  readonly peakRssBytes: number;
  /** How many times faster the incremental run is than the full one. */
  readonly incrementalSpeedup: number;
}

export interface SoakResult {
  readonly seconds: number;
  /** Token requests and API reads per second asked of the server: together half of its capacity measured just before. */
  readonly tokenRate: number;
  readonly readRate: number;
  readonly tokens: LoadMeasurement;
  readonly reads: LoadMeasurement;
  readonly syncRuns: { readonly succeeded: number; readonly failed: number };
  readonly errors: number;
  /** The low RSS (lower decile) of the first third after warm-up and of the last third, and the growth read from them (soak-figures.ts). */
  readonly rssFirstLowBytes: number;
  readonly rssLastLowBytes: number;
  readonly rssGrowthPercent: number;
  /**
   * The largest nodejs_eventloop_lag_p99_seconds read from /metrics after
   * warm-up, less the monitor's 10 ms sampling tick (soak-figures.ts), in milliseconds.
   */
  readonly eventLoopLagP99Ms: number;
  /** The median of those readings, less the tick, in milliseconds. */
  readonly eventLoopLagP99MedianMs: number;
  /** The largest reading as scraped, tick included. */
  readonly eventLoopLagP99ScrapedMs: number;
  /** Every sample taken: seconds since start, RSS and lag. */
  readonly samples: readonly { readonly t: number; readonly rssBytes: number; readonly lagP99Ms: number | null }[];
}

export interface Machine {
  readonly cpus: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverage: readonly number[];
}

export type TargetStatus = 'met' | 'not met' | 'not measured';

export interface TargetResult {
  readonly target: string;
  readonly status: TargetStatus;
  /** The measured figure, in words: "4,120 req/s = 2.3x oidc-provider". */
  readonly figure: string;
}

/** A scenario that could not be measured, and why. */
export interface Failure {
  readonly scenario: string;
  readonly error: string;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Machine;
  /** How the servers and the load were set up, in words, for the report. */
  readonly settings: readonly string[];
  readonly load: readonly LoadRow[];
  /** Each load row's figures as ratios to both reference servers, by row id. */
  readonly ratios: Readonly<Record<string, RowRatios>>;
  readonly startup: StartupResult | null;
  readonly sync: readonly SyncResult[];
  readonly soak: SoakResult | null;
  readonly targets: readonly TargetResult[];
  /** Scenarios that failed; the run then exits with status 1. */
  readonly failures: readonly Failure[];
}

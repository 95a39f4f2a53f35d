import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { type OrgsyncProcess, type OrgsyncProcessOptions, startOrgsync } from '../../examples/demo/orgsync-process.js';
import { orgsyncEnvOverrides } from '../options.js';
import type { BenchDatabase } from './bench-database.js';

/**
 * The OAuth rate limits, set far above anything the harness sends (the most
 * the configuration allows per window) rather than off: their bookkeeping is
 * part of every token request in production, so it is part of what is measured.
 */
export const RATE_LIMIT_CEILING = 10_000_000;

/** The settings of every orgsync the harness starts, as the report states them. */
export const ORGSYNC_BENCH_SETTINGS = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'json',
  METRICS_ACCESS: 'public',
  // The scheduler's production default (the demo's process helper polls faster).
  SYNC_POLL_INTERVAL_MS: '5000',
  RATE_LIMIT_PER_ADDRESS: String(RATE_LIMIT_CEILING),
  RATE_LIMIT_PER_CLIENT: String(RATE_LIMIT_CEILING),
} as const;

/**
 * The Node options `npm run start:prod` passes (package.json), so the harness
 * measures orgsync as production starts it; test/bench/settings.spec.ts fails
 * when the two disagree. Why these: README, "Every replica".
 */
export const PRODUCTION_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=32', '--no-allocation-site-pretenuring'];

/** The production Node options, then BENCH_ORGSYNC_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"). */
export function benchNodeArgs(env: Record<string, string | undefined>): string[] {
  const extra = (env.BENCH_ORGSYNC_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  return [...PRODUCTION_NODE_OPTIONS, ...extra];
}

export interface BenchOrgsyncOptions {
  readonly database: BenchDatabase;
  /** The run's directory: the log file and, on SQLite, the generated secrets key live here. */
  readonly dir: string;
  /** The log file's name within `dir`. */
  readonly logName: string;
  readonly env?: Record<string, string>;
  readonly process?: OrgsyncProcessOptions;
}

/**
 * orgsync as production runs it: start:prod's Node options, NODE_ENV=production,
 * JSON request logs at info (written to a file, not a pipe), /metrics public
 * (the soak reads it), rate limits at their ceiling; then BENCH_ORGSYNC_ENV's
 * settings over those, which the report lists. Returns once GET /health/ready answers 200.
 */
export function startBenchOrgsync(options: BenchOrgsyncOptions): Promise<OrgsyncProcess> {
  // BENCH_ORGSYNC_NODE_ARGS reaches every orgsync the harness starts: "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // profiles the rows (each process writes its profile when the harness stops it).
  const nodeArgs = benchNodeArgs(process.env);
  // BENCH_ORGSYNC_MAIN=dist/src/main.js runs the unbundled modules, whose profiles group by package.
  const main = process.env.BENCH_ORGSYNC_MAIN ? resolve(process.env.BENCH_ORGSYNC_MAIN) : undefined;
  return startOrgsync(
    options.dir,
    {
      ...ORGSYNC_BENCH_SETTINGS,
      ...orgsyncEnvOverrides(process.env),
      DATABASE_URL: options.database.url,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      ...options.env,
    },
    { readyPath: '/health/ready', pollMs: 10, logFile: join(options.dir, options.logName), nodeArgs, main, ...options.process },
  );
}

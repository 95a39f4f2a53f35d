/** The scenarios `npm run bench` knows; `--only` picks some. */
export const SCENARIOS = ['reference', 'token', 'read', 'list', 'startup', 'sync'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  readonly scenarios: ReadonlySet<Scenario>;
  readonly soak: boolean;
  /** Seconds of measured load per row. */
  readonly durationSeconds: number;
  /** Seconds of unmeasured load before each row. */
  readonly warmupSeconds: number;
  /**
   * Rounds of the paired token and oidc-provider rows (with both `reference`
   * and `token`): each round measures both for durationSeconds / rounds. The
   * default 5 makes the default 10 s whole 2-second slices (autocannon stops on
   * whole seconds).
   */
  readonly rounds: number;
  readonly connections: number;
  readonly sizes: {
    readonly smallMembers: number;
    readonly bigMembers: number;
    readonly syncUsers: number;
    readonly syncGroups: number;
    /** Users of the soak's upstream, of which 1 % change every minute. */
    readonly soakSyncUsers: number;
  };
  readonly soakSeconds: number;
  /** PostgreSQL server for the PostgreSQL rows (a fresh database is created on it); none, SQLite only. */
  readonly postgresUrl: string | undefined;
  /** BENCH_ORGSYNC_ENV: orgsync settings changed for this run (orgsyncEnvOverrides); empty measures production's. */
  readonly orgsyncEnv: Readonly<Record<string, string>>;
}

export class OptionsError extends Error {}

const USAGE = `npm run bench -- [--only ${SCENARIOS.join(',')}] [--soak] [--duration <seconds>] [--warmup <seconds>] [--rounds <n>]`;

/**
 * Reads the command line and the environment. Sizes come from the
 * environment (BENCH_SMALL_MEMBERS, BENCH_BIG_MEMBERS, BENCH_SYNC_USERS,
 * BENCH_SYNC_GROUPS, BENCH_SOAK_SECONDS, BENCH_SOAK_SYNC_USERS) so a smoke run can shrink them.
 */
export function parseOptions(argv: readonly string[], env: Record<string, string | undefined>): BenchOptions {
  let scenarios = new Set<Scenario>(SCENARIOS);
  let soak = false;
  let durationSeconds = 10;
  let warmupSeconds: number | undefined;
  let rounds = 5;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new OptionsError(`${arg} needs a value. Usage: ${USAGE}`);
      return next;
    };
    if (arg === '--only') scenarios = parseScenarios(value());
    else if (arg.startsWith('--only=')) scenarios = parseScenarios(arg.slice('--only='.length));
    else if (arg === '--soak') soak = true;
    else if (arg === '--duration') durationSeconds = positive('--duration', value());
    else if (arg.startsWith('--duration=')) durationSeconds = positive('--duration', arg.slice('--duration='.length));
    else if (arg === '--warmup') warmupSeconds = positive('--warmup', value(), true);
    else if (arg === '--rounds') rounds = wholeRounds(value());
    else if (arg.startsWith('--rounds=')) rounds = wholeRounds(arg.slice('--rounds='.length));
    else throw new OptionsError(`Unknown option ${arg}. Usage: ${USAGE}`);
  }
  return {
    scenarios,
    soak,
    durationSeconds,
    // A short warm-up: a fifth of the row, between 1 and 3 seconds.
    warmupSeconds: warmupSeconds ?? Math.min(3, Math.max(1, Math.round(durationSeconds / 5))),
    rounds,
    connections: 50,
    sizes: {
      smallMembers: size(env, 'BENCH_SMALL_MEMBERS', 100),
      bigMembers: size(env, 'BENCH_BIG_MEMBERS', 100_000),
      syncUsers: size(env, 'BENCH_SYNC_USERS', 100_000),
      syncGroups: size(env, 'BENCH_SYNC_GROUPS', 1_000),
      soakSyncUsers: size(env, 'BENCH_SOAK_SYNC_USERS', 10_000),
    },
    soakSeconds: size(env, 'BENCH_SOAK_SECONDS', 600),
    postgresUrl: postgresUrl(env),
    orgsyncEnv: soakCompatible(orgsyncEnvOverrides(env), soak),
  };
}

function parseScenarios(list: string): Set<Scenario> {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new OptionsError(`Unknown scenario "${name}": choose from ${SCENARIOS.join(', ')}.`);
    }
  }
  if (names.length === 0) throw new OptionsError(`--only needs at least one of ${SCENARIOS.join(', ')}.`);
  return new Set(names as Scenario[]);
}

function positive(name: string, value: string, zeroAllowed = false): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || (number === 0 && !zeroAllowed)) {
    throw new OptionsError(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number of seconds, not "${value}".`);
  }
  return number;
}

function wholeRounds(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new OptionsError(`--rounds must be a whole number of at least 1, not "${value}".`);
  return number;
}

function size(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new OptionsError(`${name} must be a whole number of at least 1, not "${value}".`);
  return number;
}

/** BENCH_DATABASE_URL, else DATABASE_URL when it is a postgres:// URL. */
export function postgresUrl(env: Record<string, string | undefined>): string | undefined {
  const url = env.BENCH_DATABASE_URL || env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

/**
 * Settings the harness sets itself, or that would make the run something
 * else than orgsync in production mode: BENCH_ORGSYNC_ENV may not change them.
 * Node options go through BENCH_ORGSYNC_NODE_ARGS instead.
 */
const HARNESS_OWNED_SETTINGS = [
  'PATH',
  'HOST',
  'PORT',
  'ISSUER',
  'DATABASE_URL',
  'SECRETS_KEY',
  'BOOTSTRAP_ADMIN_CLIENT_ID',
  'BOOTSTRAP_ADMIN_CLIENT_SECRET',
  'NODE_ENV',
  'NODE_OPTIONS',
];

const SETTING = /^([A-Z][A-Z0-9_]*)=(\S+)$/;

/**
 * BENCH_ORGSYNC_ENV="LOG_LEVEL=warn RATE_LIMIT_STORE=redis REDIS_URL=redis://127.0.0.1:6379":
 * orgsync settings for every orgsync the harness starts, over its own
 * (orgsync-server.ts), to measure what a setting costs or a deployment's
 * configuration. Space-separated NAME=value pairs; a value has no spaces.
 * orgsync itself validates the values as it starts.
 */
export function orgsyncEnvOverrides(env: Record<string, string | undefined>): Readonly<Record<string, string>> {
  const overrides: Record<string, string> = {};
  for (const pair of (env.BENCH_ORGSYNC_ENV ?? '').split(/\s+/).filter((word) => word !== '')) {
    const match = SETTING.exec(pair);
    if (!match) {
      throw new OptionsError(
        `BENCH_ORGSYNC_ENV takes space-separated NAME=value pairs (NAME in capitals, value not empty), not "${pair}".`,
      );
    }
    const name = match[1]!;
    const value = match[2]!;
    if (HARNESS_OWNED_SETTINGS.includes(name)) {
      throw new OptionsError(`BENCH_ORGSYNC_ENV may not set ${name}: the harness sets it (Node options go in BENCH_ORGSYNC_NODE_ARGS).`);
    }
    if (name in overrides) throw new OptionsError(`BENCH_ORGSYNC_ENV sets ${name} twice.`);
    overrides[name] = value;
  }
  return overrides;
}

/** The soak reads the event-loop lag from GET /metrics on the API port, without a token. */
function soakCompatible(overrides: Readonly<Record<string, string>>, soak: boolean): Readonly<Record<string, string>> {
  if (!soak) return overrides;
  const access = overrides.METRICS_ACCESS;
  if (access !== undefined && access !== 'public') {
    throw new OptionsError(
      `BENCH_ORGSYNC_ENV sets METRICS_ACCESS=${access}, but --soak reads GET /metrics without a token: leave it public.`,
    );
  }
  if (overrides.METRICS_PORT !== undefined) {
    throw new OptionsError('BENCH_ORGSYNC_ENV sets METRICS_PORT, but --soak reads GET /metrics on the API port: leave it unset.');
  }
  return overrides;
}

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

import { OptionsError, parseOptions, SCENARIOS } from '../../bench/options.js';

describe('parseOptions', () => {
  it('runs every scenario for 10 s a row on SQLite by default, without the soak', () => {
    const options = parseOptions([], {});
    expect([...options.scenarios]).toEqual([...SCENARIOS]);
    expect(options).toMatchObject({
      soak: false,
      durationSeconds: 10,
      warmupSeconds: 2,
      connections: 50,
      postgresUrl: undefined,
      soakSeconds: 600,
      rounds: 5,
    });
    expect(options.sizes).toEqual({ smallMembers: 100, bigMembers: 100_000, syncUsers: 100_000, syncGroups: 1_000, soakSyncUsers: 10_000 });
  });

  it('picks scenarios with --only, in either spelling', () => {
    expect([...parseOptions(['--only', 'token,reference'], {}).scenarios]).toEqual(['token', 'reference']);
    expect([...parseOptions(['--only=sync'], {}).scenarios]).toEqual(['sync']);
  });

  it('refuses an unknown scenario or option, naming it', () => {
    expect(() => parseOptions(['--only', 'tokens'], {})).toThrow(
      new OptionsError('Unknown scenario "tokens": choose from reference, token, read, list, startup, sync.'),
    );
    expect(() => parseOptions(['--fast'], {})).toThrow('Unknown option --fast');
    expect(() => parseOptions(['--only'], {})).toThrow('--only needs a value');
  });

  it('takes the soak, the row duration and a warm-up of a fifth of it, between 1 and 3 seconds', () => {
    expect(parseOptions(['--soak', '--duration', '1'], {})).toMatchObject({ soak: true, durationSeconds: 1, warmupSeconds: 1 });
    expect(parseOptions(['--duration=60'], {})).toMatchObject({ durationSeconds: 60, warmupSeconds: 3 });
    expect(parseOptions(['--duration', '1', '--warmup', '0'], {})).toMatchObject({ warmupSeconds: 0 });
    expect(() => parseOptions(['--duration', '0'], {})).toThrow('--duration must be a positive number');
  });

  it('takes the rounds of the paired token rows in either spelling, and refuses anything but a whole number from 1', () => {
    expect(parseOptions(['--rounds', '6'], {}).rounds).toBe(6);
    expect(parseOptions(['--rounds=1'], {}).rounds).toBe(1);
    for (const value of ['0', '1.5', '-2', 'many']) {
      expect(() => parseOptions(['--rounds', value], {})).toThrow(
        new OptionsError(`--rounds must be a whole number of at least 1, not "${value}".`),
      );
    }
    expect(() => parseOptions(['--rounds'], {})).toThrow('--rounds needs a value');
  });

  it('adds PostgreSQL from BENCH_DATABASE_URL, or from DATABASE_URL when that is a postgres:// URL', () => {
    expect(parseOptions([], { BENCH_DATABASE_URL: 'postgres://db/bench' }).postgresUrl).toBe('postgres://db/bench');
    expect(parseOptions([], { DATABASE_URL: 'postgresql://db/app' }).postgresUrl).toBe('postgresql://db/app');
    expect(parseOptions([], { DATABASE_URL: 'sqlite:data/orgsync.sqlite' }).postgresUrl).toBeUndefined();
  });

  it('shrinks sizes from the environment and refuses nonsense', () => {
    const options = parseOptions([], { BENCH_BIG_MEMBERS: '500', BENCH_SYNC_USERS: '200', BENCH_SOAK_SECONDS: '30' });
    expect(options.sizes).toMatchObject({ bigMembers: 500, syncUsers: 200 });
    expect(options.soakSeconds).toBe(30);
    expect(() => parseOptions([], { BENCH_BIG_MEMBERS: 'many' })).toThrow('BENCH_BIG_MEMBERS must be a whole number');
  });

  it('takes orgsync settings for the run from BENCH_ORGSYNC_ENV, none by default', () => {
    expect(parseOptions([], {}).orgsyncEnv).toEqual({});
    expect(
      parseOptions([], { BENCH_ORGSYNC_ENV: '  LOG_LEVEL=warn   RATE_LIMIT_STORE=redis REDIS_URL=redis://127.0.0.1:6379/0 ' }).orgsyncEnv,
    ).toEqual({
      LOG_LEVEL: 'warn',
      RATE_LIMIT_STORE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
    });
  });

  it('refuses a BENCH_ORGSYNC_ENV that is not NAME=value pairs, names a setting twice or sets one the harness owns', () => {
    for (const pair of ['LOG_LEVEL', 'log_level=warn', 'LOG_LEVEL=', '=warn', '1LOG=warn']) {
      expect(() => parseOptions([], { BENCH_ORGSYNC_ENV: pair })).toThrow(
        new OptionsError(`BENCH_ORGSYNC_ENV takes space-separated NAME=value pairs (NAME in capitals, value not empty), not "${pair}".`),
      );
    }
    expect(() => parseOptions([], { BENCH_ORGSYNC_ENV: 'LOG_LEVEL=warn LOG_LEVEL=error' })).toThrow(
      new OptionsError('BENCH_ORGSYNC_ENV sets LOG_LEVEL twice.'),
    );
    for (const name of ['DATABASE_URL', 'SECRETS_KEY', 'PORT', 'ISSUER', 'NODE_ENV', 'NODE_OPTIONS', 'BOOTSTRAP_ADMIN_CLIENT_SECRET']) {
      expect(() => parseOptions([], { BENCH_ORGSYNC_ENV: `${name}=x` })).toThrow(
        new OptionsError(`BENCH_ORGSYNC_ENV may not set ${name}: the harness sets it (Node options go in BENCH_ORGSYNC_NODE_ARGS).`),
      );
    }
  });

  it('refuses, with --soak only, settings that keep the soak from reading /metrics', () => {
    expect(parseOptions([], { BENCH_ORGSYNC_ENV: 'METRICS_ACCESS=off METRICS_PORT=9464' }).orgsyncEnv).toMatchObject({
      METRICS_ACCESS: 'off',
    });
    expect(parseOptions(['--soak'], { BENCH_ORGSYNC_ENV: 'METRICS_ACCESS=public' }).orgsyncEnv).toEqual({ METRICS_ACCESS: 'public' });
    expect(() => parseOptions(['--soak'], { BENCH_ORGSYNC_ENV: 'METRICS_ACCESS=scope' })).toThrow(
      new OptionsError('BENCH_ORGSYNC_ENV sets METRICS_ACCESS=scope, but --soak reads GET /metrics without a token: leave it public.'),
    );
    expect(() => parseOptions(['--soak'], { BENCH_ORGSYNC_ENV: 'METRICS_PORT=9464' })).toThrow(
      new OptionsError('BENCH_ORGSYNC_ENV sets METRICS_PORT, but --soak reads GET /metrics on the API port: leave it unset.'),
    );
  });
});

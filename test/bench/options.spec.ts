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
});

import type { BenchResults, TargetResult } from '../../bench/results.js';
import { evaluateTargets } from '../../bench/targets.js';
import { MB, row, soak, startup, syncResult } from './bench-factories.js';

type Measured = Pick<BenchResults, 'load' | 'startup' | 'sync' | 'soak'>;

const NOTHING: Measured = { load: [], startup: null, sync: [], soak: null };

function statusOf(targets: TargetResult[], startOfName: string): TargetResult {
  const found = targets.find((t) => t.target.startsWith(startOfName));
  if (!found) throw new Error(`no target starting "${startOfName}" in ${targets.map((t) => t.target).join('; ')}`);
  return found;
}

describe('evaluateTargets', () => {
  it('lists every target as not measured when nothing ran', () => {
    const targets = evaluateTargets(NOTHING);
    expect(targets.length).toBeGreaterThanOrEqual(10);
    expect(targets.every((t) => t.status === 'not measured' && t.figure === '–')).toBe(true);
  });

  it('meets the token target at 2x oidc-provider with p99 under 10 ms and no errors', () => {
    const targets = evaluateTargets({
      ...NOTHING,
      load: [row('reference/oidc-provider', { requestsPerSecond: 1_000 }), row('token/SQLite', { requestsPerSecond: 2_000, p99Ms: 9 })],
    });
    expect(statusOf(targets, 'Token endpoint >= 2x')).toEqual({
      target: 'Token endpoint >= 2x oidc-provider (SQLite)',
      status: 'met',
      figure: "2,000 req/s = 2.00x oidc-provider's 1,000",
    });
    expect(statusOf(targets, 'Token endpoint p99').status).toBe('met');
  });

  it('misses the token targets below 2x, at p99 10 ms, or with one error', () => {
    const slow = evaluateTargets({
      ...NOTHING,
      load: [row('reference/oidc-provider', { requestsPerSecond: 1_000 }), row('token/SQLite', { requestsPerSecond: 1_999, p99Ms: 10 })],
    });
    expect(statusOf(slow, 'Token endpoint >= 2x').status).toBe('not met');
    expect(statusOf(slow, 'Token endpoint p99').status).toBe('not met');
    const erring = evaluateTargets({ ...NOTHING, load: [row('token/SQLite', { p99Ms: 1, errors: 1 })] });
    expect(statusOf(erring, 'Token endpoint p99')).toMatchObject({ status: 'not met', figure: 'p99 1 ms, 1 errors' });
  });

  it('cannot judge the token ratio without the oidc-provider row', () => {
    const targets = evaluateTargets({ ...NOTHING, load: [row('token/SQLite')] });
    expect(statusOf(targets, 'Token endpoint >= 2x').status).toBe('not measured');
  });

  it('judges each database on its own', () => {
    const targets = evaluateTargets({
      ...NOTHING,
      load: [
        row('reference/oidc-provider', { requestsPerSecond: 1_000 }),
        row('token/SQLite', { requestsPerSecond: 3_000 }),
        row('reference/oidc-provider/PostgreSQL', { requestsPerSecond: 1_000 }),
        row('token/PostgreSQL', { requestsPerSecond: 1_500 }),
      ],
    });
    expect(statusOf(targets, 'Token endpoint >= 2x oidc-provider (SQLite)').status).toBe('met');
    expect(statusOf(targets, 'Token endpoint >= 2x oidc-provider (PostgreSQL)').status).toBe('not met');
  });

  it('judges the PostgreSQL token row against the oidc-provider row measured alongside it', () => {
    const targets = evaluateTargets({
      ...NOTHING,
      load: [
        row('reference/oidc-provider', { requestsPerSecond: 1_000 }),
        row('token/SQLite', { requestsPerSecond: 2_000 }),
        row('reference/oidc-provider/PostgreSQL', { requestsPerSecond: 800 }),
        row('token/PostgreSQL', { requestsPerSecond: 1_600 }),
      ],
    });
    expect(statusOf(targets, 'Token endpoint >= 2x oidc-provider (SQLite)').figure).toBe("2,000 req/s = 2.00x oidc-provider's 1,000");
    expect(statusOf(targets, 'Token endpoint >= 2x oidc-provider (PostgreSQL)')).toEqual({
      target: 'Token endpoint >= 2x oidc-provider (PostgreSQL)',
      status: 'met',
      figure: "1,600 req/s = 2.00x oidc-provider's 800",
    });
  });

  it('cannot judge the PostgreSQL token ratio without its own oidc-provider row, whatever the SQLite one says', () => {
    const targets = evaluateTargets({
      ...NOTHING,
      load: [row('reference/oidc-provider', { requestsPerSecond: 100 }), row('token/PostgreSQL', { requestsPerSecond: 1_600 })],
    });
    expect(statusOf(targets, 'Token endpoint >= 2x oidc-provider (PostgreSQL)').status).toBe('not measured');
  });

  describe('with the NestJS floor rows', () => {
    const floorRows = [
      row('reference/nest-floor/token', { requestsPerSecond: 3_400, p99Ms: 12 }),
      row('reference/nest-floor/read', { requestsPerSecond: 18_000, p99Ms: 4 }),
    ];
    const orgsync = [
      row('reference/oidc-provider', { requestsPerSecond: 1_000 }),
      row('token/SQLite', { requestsPerSecond: 1_500, p99Ms: 24 }),
      row('read/SQLite', { requestsPerSecond: 5_000, p99Ms: 20 }),
    ];

    it('shows the floor beside the token and read figures', () => {
      const targets = evaluateTargets({ ...NOTHING, load: [...floorRows, ...orgsync] });
      expect(statusOf(targets, 'Token endpoint >= 2x').figure).toBe("1,500 req/s = 1.50x oidc-provider's 1,000 (NestJS floor: 3.40x)");
      expect(statusOf(targets, 'Token endpoint p99').figure).toBe('p99 24 ms, 0 errors (NestJS floor in this run: p99 12 ms, 3,400 req/s)');
      expect(statusOf(targets, 'Protected read').figure).toBe(
        '5,000 req/s, p99 20 ms, 0 errors (NestJS floor in this run: p99 4 ms, 18,000 req/s)',
      );
    });

    it("divides the floor's token req/s by the oidc-provider row each database is judged against", () => {
      const targets = evaluateTargets({
        ...NOTHING,
        load: [
          ...floorRows,
          ...orgsync,
          row('reference/oidc-provider/PostgreSQL', { requestsPerSecond: 850 }),
          row('token/PostgreSQL', { requestsPerSecond: 1_700 }),
        ],
      });
      expect(statusOf(targets, 'Token endpoint >= 2x oidc-provider (PostgreSQL)').figure).toBe(
        "1,700 req/s = 2.00x oidc-provider's 850 (NestJS floor: 4.00x)",
      );
    });

    it('decides no status: every target reads the same with or without them', () => {
      const statuses = (load: typeof orgsync) => evaluateTargets({ ...NOTHING, load }).map((t) => [t.target, t.status]);
      expect(statuses([...floorRows, ...orgsync])).toEqual(statuses(orgsync));
      expect(statuses(floorRows)).toEqual(statuses([]));
      expect(evaluateTargets({ ...NOTHING, load: floorRows }).every((t) => t.status === 'not measured' && t.figure === '–')).toBe(true);
    });

    it('shows nothing of the floor when it was not measured', () => {
      const targets = evaluateTargets({ ...NOTHING, load: orgsync });
      expect(targets.map((t) => t.figure).join('\n')).not.toContain('NestJS floor');
      expect(statusOf(targets, 'Token endpoint p99').figure).toBe('p99 24 ms, 0 errors');
      expect(statusOf(targets, 'Protected read').figure).toBe('5,000 req/s, p99 20 ms, 0 errors');
    });
  });

  it('judges the protected read on SQLite only', () => {
    const met = evaluateTargets({ ...NOTHING, load: [row('read/SQLite', { requestsPerSecond: 10_000, p99Ms: 9.9 })] });
    expect(statusOf(met, 'Protected read').status).toBe('met');
    const missed = evaluateTargets({
      ...NOTHING,
      load: [row('read/SQLite', { requestsPerSecond: 9_999 }), row('read/PostgreSQL', { requestsPerSecond: 20_000 })],
    });
    expect(statusOf(missed, 'Protected read').status).toBe('not met');
  });

  it('compares the big list page with the small one by throughput', () => {
    const within = evaluateTargets({
      ...NOTHING,
      load: [row('list-small/SQLite', { requestsPerSecond: 1_500 }), row('list-big/SQLite', { requestsPerSecond: 1_000 })],
    });
    expect(statusOf(within, 'List page')).toMatchObject({ status: 'met', figure: expect.stringContaining('1.50x the time') });
    const beyond = evaluateTargets({
      ...NOTHING,
      load: [row('list-small/SQLite', { requestsPerSecond: 1_501 }), row('list-big/SQLite', { requestsPerSecond: 1_000 })],
    });
    expect(statusOf(beyond, 'List page').status).toBe('not met');
  });

  it('checks the sync rate, memory and incremental speed-up, and counts a failed run as missed', () => {
    const good = evaluateTargets({ ...NOTHING, sync: [syncResult()] });
    expect(['Sync >=', 'Sync peak RSS', 'Incremental'].map((name) => statusOf(good, name).status)).toEqual(['met', 'met', 'met']);
    const bad = evaluateTargets({
      ...NOTHING,
      sync: [
        syncResult({ peakRssBytes: 300 * MB, incrementalSpeedup: 19.9, full: { ...syncResult().full, status: 'failed: upstream 500' } }),
      ],
    });
    expect(['Sync >=', 'Sync peak RSS', 'Incremental'].map((name) => statusOf(bad, name).status)).toEqual([
      'not met',
      'not met',
      'not met',
    ]);
  });

  it('needs both starts within 2 s and idle memory under 150 MB', () => {
    expect(statusOf(evaluateTargets({ ...NOTHING, startup: startup() }), 'Ready within').status).toBe('met');
    const slow = evaluateTargets({ ...NOTHING, startup: startup({ existingReadyMs: 2_000, idleRssBytes: 150 * MB }) });
    expect(statusOf(slow, 'Ready within')).toMatchObject({ status: 'not met', figure: 'fresh 900 ms, existing 2,000 ms' });
    expect(statusOf(slow, 'RSS at idle')).toMatchObject({ status: 'not met', figure: '150 MB' });
  });

  it('needs a soak without errors, with under 10 % RSS growth and event-loop lag under 50 ms', () => {
    const good = evaluateTargets({ ...NOTHING, soak: soak() });
    expect(good.filter((t) => t.target.startsWith('Soak')).map((t) => t.status)).toEqual(['met', 'met', 'met']);
    const bad = evaluateTargets({ ...NOTHING, soak: soak({ errors: 1, rssGrowthPercent: 10, eventLoopLagP99Ms: 50 }) });
    expect(bad.filter((t) => t.target.startsWith('Soak')).map((t) => t.status)).toEqual(['not met', 'not met', 'not met']);
    expect(good.find((t) => t.target.startsWith('Soak: event-loop'))?.figure).toBe(
      '12 ms at most beyond the 10 ms tick (22 ms as scraped)',
    );
  });
});

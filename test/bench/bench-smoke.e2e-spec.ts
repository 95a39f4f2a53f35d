import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addHistograms } from '../../bench/load/pooled-slices.js';
import { type BenchResults, nestFloorRowId, oidcProviderRowId } from '../../bench/results.js';
import { type BenchBuild, compileBench } from './bench-build.js';

/**
 * `npm run bench` end to end in a tiny mode: every scenario, one second a
 * row, a four-second soak, small organizations and directories, against
 * freshly compiled code (PostgreSQL rows too when TEST_DATABASE_URL is set).
 * Asserts every row is there without errors (the NestJS floor's two among
 * the references; the token and oidc-provider rows in two alternating slices
 * each) and the results are written; never a speed (the machine is shared).
 */
describe('npm run bench (smoke)', () => {
  let resultsDir: string;
  let build: BenchBuild;

  beforeAll(async () => {
    resultsDir = await mkdtemp(join(tmpdir(), 'orgsync-bench-smoke-'));
    build = await compileBench();
  });

  afterAll(async () => {
    await rm(resultsDir, { recursive: true, force: true });
    await build?.remove();
  });

  it('measures every row with no errors and writes bench.json and bench.md', async () => {
    const postgres = process.env.TEST_DATABASE_URL;
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(build.out, 'bench', 'main.js'), '--duration', '1', '--warmup', '0', '--rounds', '2', '--soak'],
        {
          env: {
            PATH: process.env.PATH ?? '',
            BENCH_RESULTS_DIR: resultsDir,
            BENCH_BIG_MEMBERS: '300',
            BENCH_SMALL_MEMBERS: '20',
            BENCH_SYNC_USERS: '300',
            BENCH_SYNC_GROUPS: '5',
            BENCH_IDLE_SECONDS: '1',
            BENCH_SOAK_SECONDS: '4',
            BENCH_SOAK_SYNC_USERS: '100',
            ...(postgres ? { BENCH_DATABASE_URL: postgres } : {}),
          },
          maxBuffer: 10 * 1024 * 1024,
        },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout })),
      ),
    );

    const results = JSON.parse(await readFile(join(resultsDir, 'bench.json'), 'utf8')) as BenchResults;
    expect(results.failures).toEqual([]);
    const databases = postgres ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
    // oidc-provider runs on each database alongside orgsync, measured with the token row in alternating slices.
    const expectedRows = [
      'reference/node:http',
      nestFloorRowId('token'),
      nestFloorRowId('read'),
      ...databases.flatMap((database) => [
        oidcProviderRowId(database),
        ...['token', 'read', 'list-small', 'list-big'].map((scenario) => `${scenario}/${database}`),
      ]),
    ];
    expect(results.load.map((row) => row.id)).toEqual(expectedRows);
    expect(Object.keys(results.ratios)).toEqual(expectedRows);
    for (const row of results.load) {
      expect({ row: row.id, errors: row.measurement.errors }).toEqual({ row: row.id, errors: 0 });
      expect(row.measurement.requests).toBeGreaterThan(0);
    }
    const paired = results.load.filter((row) => row.scenario === 'token' || row.server === 'oidc-provider');
    expect(paired.map((row) => [row.id, row.slices?.length])).toEqual(paired.map((row) => [row.id, 2]));
    for (const row of paired) expect(row.slices!.every((slice) => slice.errors === 0 && slice.requests > 0)).toBe(true);
    // Their p50 and p99 come from autocannon's histograms of all their slices: one latency for each 200.
    for (const row of paired) {
      const counted = [row.measurement, ...row.slices!].map((m) => addHistograms([m.latencyHistogram!]).totalCount);
      expect(counted).toEqual([row.measurement, ...row.slices!].map((m) => m.requests));
    }
    expect(results.targets.filter((t) => t.target.startsWith('Token endpoint >= 2x')).map((t) => t.status)).not.toContain('not measured');
    expect(results.startup).toMatchObject({ database: 'SQLite' });
    expect(
      results.sync.map((sync) => [sync.database, sync.full.mode, sync.full.status, sync.incremental.mode, sync.incremental.status]),
    ).toEqual(databases.map((database) => [database, 'full', 'succeeded', 'incremental', 'succeeded']));
    expect(results.soak).toMatchObject({ seconds: 4, errors: 0 });
    expect(results.soak!.samples.length).toBeGreaterThan(2);
    // The last reading comes after the load stopped: RSS only, no lag (the teardown's is not the soak's).
    expect(results.soak!.samples.at(-1)).toMatchObject({ rssBytes: expect.any(Number), lagP99Ms: null });
    expect(results.soak!.samples.at(-2)!.lagP99Ms).toEqual(expect.any(Number));
    expect(results.targets.length).toBeGreaterThan(0);
    expect(await readFile(join(resultsDir, 'bench.md'), 'utf8')).toContain('## Targets');
    expect(stdout).toContain('| POST /oauth/token (client_secret_basic) | SQLite |');
  }, 120_000);
});

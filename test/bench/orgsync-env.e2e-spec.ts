import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDatabase } from '../../bench/servers/bench-database.js';
import { startBenchOrgsync } from '../../bench/servers/orgsync-server.js';
import type { OrgsyncProcess } from '../../examples/demo/orgsync-process.js';
import { type BenchBuild, compileBench } from './bench-build.js';

/**
 * BENCH_ORGSYNC_ENV reaches the orgsync the harness starts, over the
 * harness's own settings: the compiled server started as the harness starts
 * it, once as production is measured and once with the metrics endpoint off
 * and request logging at warn.
 */
describe('BENCH_ORGSYNC_ENV', () => {
  let build: BenchBuild;
  let dir: string;
  const saved = process.env.BENCH_ORGSYNC_ENV;

  beforeAll(async () => {
    build = await compileBench();
    dir = await mkdtemp(join(tmpdir(), 'orgsync-bench-env-'));
  }, 60_000);

  afterAll(async () => {
    if (saved === undefined) delete process.env.BENCH_ORGSYNC_ENV;
    else process.env.BENCH_ORGSYNC_ENV = saved;
    await rm(dir, { recursive: true, force: true });
    await build?.remove();
  });

  /** Starts orgsync as the harness does with BENCH_ORGSYNC_ENV set to `settings`, reads /metrics and the log of one request. */
  async function startWith(name: string, settings: string | undefined): Promise<{ metricsStatus: number; requestLogged: boolean }> {
    if (settings === undefined) delete process.env.BENCH_ORGSYNC_ENV;
    else process.env.BENCH_ORGSYNC_ENV = settings;
    const logName = `${name}.log`;
    const orgsync: OrgsyncProcess = await startBenchOrgsync({
      database: sqliteDatabase(dir, name),
      dir,
      logName,
      process: { main: join(build.out, 'server', 'main.js') },
    });
    let metricsStatus: number;
    try {
      const metrics = await fetch(`${orgsync.url}/metrics`);
      await metrics.arrayBuffer();
      metricsStatus = metrics.status;
      const discovery = await fetch(`${orgsync.url}${DISCOVERY_PATH}`);
      expect(discovery.status).toBe(200);
      await discovery.arrayBuffer();
    } finally {
      await orgsync.stop();
    }
    // Read once the server has exited: request lines are buffered, and written out at the latest as it exits.
    return { metricsStatus, requestLogged: await loggedRequestTo(join(dir, logName), DISCOVERY_PATH) };
  }

  it('changes the settings it names and leaves production’s otherwise', async () => {
    expect(await startWith('production', undefined)).toEqual({ metricsStatus: 200, requestLogged: true });
    expect(await startWith('changed', 'METRICS_ACCESS=off LOG_LEVEL=warn')).toEqual({ metricsStatus: 404, requestLogged: false });
  }, 60_000);
});

/** Public, and not one of the paths whose request lines are kept for debug (health probes, metrics scrapes). */
const DISCOVERY_PATH = '/.well-known/oauth-authorization-server';

/** Whether the log holds a request line (written at info) for `path`. */
async function loggedRequestTo(logFile: string, path: string): Promise<boolean> {
  const lines = (await readFile(logFile, 'utf8')).split('\n').filter((line) => line.startsWith('{'));
  return lines.some((line) => (JSON.parse(line) as { path?: string }).path === path);
}

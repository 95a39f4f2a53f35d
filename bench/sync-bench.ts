/**
 * The sync benchmark: a loopback SCIM upstream with 100,000 users and 1,000
 * groups, one full run and one incremental run with 1 % of users changed,
 * against orgsync running as its own process (so its memory is its own).
 * Prints records per second, duration and the server's peak RSS, and writes
 * bench/results/sync.json and sync.md. `npm run bench:sync`.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../examples/demo/http.js';
import { startOrgsync } from '../examples/demo/orgsync-process.js';
import { startScimUpstream } from '../examples/scim-upstream/scim-upstream.js';

const USERS = Number(process.env.BENCH_SYNC_USERS ?? 100_000);
const GROUPS = Number(process.env.BENCH_SYNC_GROUPS ?? 1_000);
const MEMBERS_PER_GROUP = 50;

interface RunResult {
  readonly mode: string;
  readonly status: string;
  readonly seconds: number;
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly pages: number;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'orgsync-bench-'));
  const upstream = await startScimUpstream({ maxResults: 1000 });
  upstream.directory.seed(
    { users: USERS - 1, groups: GROUPS, membersPerGroup: MEMBERS_PER_GROUP },
    { at: new Date(Date.now() - 7_200_000) },
  );
  upstream.directory.addUser({ userName: 'watermark-anchor' }, { at: new Date(Date.now() - 3_600_000) });
  // BENCH_SYNC_HEAP_MB caps the server's V8 heap: a sync that held the directory in memory would die under it.
  const heap: Record<string, string> = process.env.BENCH_SYNC_HEAP_MB
    ? { NODE_OPTIONS: `--max-old-space-size=${process.env.BENCH_SYNC_HEAP_MB}` }
    : {};
  const orgsync = await startOrgsync(dataDir, { SYNC_POLL_INTERVAL_MS: '200', SYNC_HTTP_TIMEOUT_MS: '60000', ...heap });
  try {
    const admin = (
      await call<{ access_token: string }>('POST', `${orgsync.url}/oauth/token`, {
        basic: { clientId: orgsync.adminClientId, clientSecret: orgsync.adminClientSecret },
        form: { grant_type: 'client_credentials' },
      })
    ).body.access_token;
    const organization = (
      await call<{ id: string }>('POST', `${orgsync.url}/admin/organizations`, { bearer: admin, json: { name: 'Bench' } })
    ).body;
    const connection = (
      await call<{ id: string }>('POST', `${orgsync.url}/admin/organizations/${organization.id}/sync-connections`, {
        bearer: admin,
        json: {
          name: 'Bench upstream',
          base_url: upstream.baseUrl,
          token_url: upstream.tokenUrl,
          client_id: upstream.clientId,
          client_secret: upstream.clientSecret,
          interval_seconds: 86_400,
        },
      })
    ).body;
    const run = async (): Promise<RunResult> => {
      const queued = (await call<{ id: string }>('POST', `${orgsync.url}/admin/sync-connections/${connection.id}/runs`, { bearer: admin }))
        .body;
      for (;;) {
        const state = (await call<Record<string, unknown>>('GET', `${orgsync.url}/admin/sync-runs/${queued.id}`, { bearer: admin })).body;
        if (state.status === 'succeeded' || state.status === 'failed') {
          const stats = state.stats as Record<'members' | 'groups', Record<string, number>>;
          const seconds = (Date.parse(state.finished_at as string) - Date.parse(state.started_at as string)) / 1000;
          const records = stats.members.fetched! + stats.groups.fetched!;
          return {
            mode: state.mode as string,
            status: state.status,
            seconds,
            records,
            recordsPerSecond: Math.round(records / seconds),
            pages: state.pages as number,
          };
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const full = await run();
    for (const user of upstream.directory.listUsers().slice(0, Math.round(USERS / 100)))
      upstream.directory.updateUser(user.id, { title: 'Changed' });
    const incremental = await run();
    const peakRssMb = await peakRss(orgsync.pid);
    const results = {
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      users: USERS,
      groups: GROUPS,
      full,
      incremental,
      peakRssMb,
    };
    await report(results);
  } finally {
    await orgsync.stop();
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** VmHWM: the process's peak resident set size (Linux). */
async function peakRss(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

async function report(results: {
  machine: string;
  users: number;
  groups: number;
  full: RunResult;
  incremental: RunResult;
  peakRssMb: number | null;
}): Promise<void> {
  const row = (name: string, r: RunResult) =>
    `| ${name} | ${r.status} | ${r.records.toLocaleString('en')} | ${r.pages} | ${r.seconds.toFixed(1)} s | ${r.recordsPerSecond.toLocaleString('en')} |`;
  const markdown = [
    `Sync benchmark: ${results.users.toLocaleString('en')} users and ${results.groups.toLocaleString('en')} groups from a loopback SCIM upstream (${results.machine}, SQLite).`,
    '',
    '| run | status | records fetched | pages | duration | records/s |',
    '| --- | --- | --- | --- | --- | --- |',
    row(`full (${results.full.mode})`, results.full),
    row(`1 % changed (${results.incremental.mode})`, results.incremental),
    '',
    `Peak RSS of the orgsync process over both runs: ${results.peakRssMb ?? 'n/a'} MB.`,
  ].join('\n');
  process.stdout.write(`\n${markdown}\n`);
  const dir = join(process.cwd(), 'bench', 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'sync.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, 'sync.md'), `${markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

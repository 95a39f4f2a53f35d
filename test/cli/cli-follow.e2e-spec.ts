import { EventEmitter } from 'node:events';
import { startScimUpstream, type ScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import type { CliSettings } from '../../src/cli/cli-session.js';
import { NO_WORKER_MESSAGE } from '../../src/cli/follow/run-follower.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import type { SyncConnectionResponse } from '../../src/sync/connections/dto/sync-connection.response.js';
import type { SyncRunResponse } from '../../src/sync/runs/dto/sync-run.response.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { type CliHarness, type CliResult, createCliHarness } from './cli-harness.js';

const USERS = 600;
const FAST = { pollMs: 50, plainLineEveryMs: 0, workerWaitMs: 10_000 };

/** `orgsync <args>` with short follow timings; `onStderr` sees each piece of stderr as it is written. */
async function orgsync(
  cli: CliHarness,
  args: string[],
  settings: Partial<CliSettings> = {},
  onStderr: (text: string) => void = () => undefined,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        onStderr(text);
        return true;
      },
    },
  };
  const code = await runCli(args, cli.env, io, { follow: FAST, ...settings });
  return { code, stdout, stderr };
}

async function createConnection(cli: CliHarness, upstream: Pick<ScimUpstream, 'baseUrl' | 'tokenUrl' | 'clientId' | 'clientSecret'>) {
  const org = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Followed Org')).id;
  return cli.json<SyncConnectionResponse>(
    ...['sync', 'connections', 'create', '--org', org, '--name', 'Example IdP', '--base-url', upstream.baseUrl],
    ...['--token-url', upstream.tokenUrl, '--client-id', upstream.clientId, '--client-secret', upstream.clientSecret],
  );
}

async function firstRunSucceeded(cli: CliHarness, connectionId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const runs = await cli.json<{ data: SyncRunResponse[] }>('sync', 'runs', 'list', connectionId);
    if (runs.data.some((run) => run.status === 'succeeded')) return;
    if (Date.now() > deadline) throw new Error(`the worker did not finish the first run: ${JSON.stringify(runs.data)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The plain progress lines of a non-terminal: `sync run <id> running full: 3 pages, 300 fetched, 300 written, …`. */
function progressLines(stderr: string): Array<{ pages: number; fetched: number; written: number }> {
  return [...stderr.matchAll(/^sync run \S+ running (?:full|incremental): (\d+) pages, (\d+) fetched, (\d+) written/gm)].map((m) => ({
    pages: Number(m[1]),
    fetched: Number(m[2]),
    written: Number(m[3]),
  }));
}

describe('orgsync sync run --follow, against a server running the sync worker', () => {
  let cli: CliHarness;
  let t: TestApp;
  let upstream: ScimUpstream;
  let connection: SyncConnectionResponse;

  beforeAll(async () => {
    cli = await createCliHarness();
    t = await startTestApp({ SECRETS_KEY: cli.env.SECRETS_KEY, SYNC_POLL_INTERVAL_MS: '100', SYNC_HTTP_TIMEOUT_MS: '2000' }, cli.database);
    upstream = await startScimUpstream({ maxResults: 100, users: USERS, groups: 4, membersPerGroup: 10 });
    connection = await createConnection(cli, upstream);
    // A new connection is due at once: let the worker's own first run finish, so the runs below are the CLI's alone.
    await firstRunSucceeded(cli, connection.id);
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
    await cli.drop();
  });
  afterEach(() => upstream.faults.clear());

  it('shows progress lines with growing counts on a non-terminal, then the summary, and exits 0', async () => {
    // Two pages answer 503 with Retry-After: 1 once each, so the run pauses mid-way and its progress can be seen.
    upstream.faults.throttle({ endpoint: 'Users', page: 2, retryAfterSeconds: 1 });
    upstream.faults.throttle({ endpoint: 'Users', page: 4, retryAfterSeconds: 1 });

    const result = await orgsync(cli, ['sync', 'run', connection.id, '--follow', '--full']);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Following sync run \S+ \(Ctrl-C stops following; the run goes on\)\.$/m);
    const lines = progressLines(result.stderr);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i]!.pages).toBeGreaterThanOrEqual(lines[i - 1]!.pages);
      expect(lines[i]!.fetched).toBeGreaterThanOrEqual(lines[i - 1]!.fetched);
    }
    expect(lines.at(-1)!.fetched).toBeGreaterThan(lines[0]!.fetched);
    const [summary, header, members, groups] = result.stdout.trimEnd().split('\n');
    expect(summary).toMatch(new RegExp(`^Sync run \\S+ succeeded: full, \\d+\\.\\d s, \\d+ pages, ${USERS + 4} records fetched`));
    expect(header).toMatch(/^STREAM\s+FETCHED\s+CREATED\s+UPDATED\s+DELETED\s+UNCHANGED$/);
    // The worker's first run created them all; this full listing finds every record unchanged.
    expect(members?.split(/\s+/)).toEqual(['members', String(USERS), '0', '0', '0', String(USERS)]);
    expect(groups?.split(/\s+/)).toEqual(['groups', '4', '0', '0', '0', '4']);
  });

  it('prints only the finished run as one JSON document with --json, and --full makes it a full run', async () => {
    const incremental = await orgsync(cli, ['--json', 'sync', 'run', connection.id, '--follow']);
    expect(incremental.code).toBe(0);
    expect(incremental.stderr).toBe('');
    expect(JSON.parse(incremental.stdout)).toMatchObject({ connection_id: connection.id, status: 'succeeded', mode: 'incremental' });

    const full = await orgsync(cli, ['--json', 'sync', 'run', connection.id, '--follow', '--full']);
    expect(full.code).toBe(0);
    const run = JSON.parse(full.stdout) as SyncRunResponse;
    expect(run).toMatchObject({ status: 'succeeded', mode: 'full', trigger: 'manual', error: null });
    expect(run.stats.members).toMatchObject({ fetched: USERS, unchanged: USERS });
  });

  it('exits 1 with the run’s error when the run fails', async () => {
    upstream.faults.serverError({ endpoint: 'Users', times: 'always' });

    const result = await orgsync(cli, ['sync', 'run', connection.id, '--follow']);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Sync run (\S+) failed: /);
    const runId = /^Sync run (\S+) failed/.exec(result.stdout)![1]!;
    const stored = await cli.json<SyncRunResponse>('sync', 'runs', 'show', runId);
    expect(stored.error).toBeTruthy();
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(`error: sync run ${runId} failed: ${stored.error}`);
  });

  it('without --follow, queues the run and prints it, like the API’s 202', async () => {
    const queued = await cli.json<SyncRunResponse>('sync', 'run', connection.id);
    expect(queued).toMatchObject({
      connection_id: connection.id,
      trigger: 'manual',
      status: expect.stringMatching(/^(queued|running|succeeded)$/),
    });
    const followed = await orgsync(cli, ['--json', 'sync', 'run', connection.id, '--follow']);
    // Asked for again before or while it runs: the same run, or the next one once it has ended.
    expect(JSON.parse(followed.stdout)).toMatchObject({ connection_id: connection.id, status: 'succeeded' });
  });
});

describe('orgsync sync run --follow, with no server running the worker', () => {
  let cli: CliHarness;

  beforeAll(async () => (cli = await createCliHarness()));
  afterAll(() => cli.drop());

  it('says it is waiting for a worker, and Ctrl-C stops following without cancelling the run', async () => {
    const connection = await createConnection(cli, {
      baseUrl: 'https://idp.example.com/scim',
      tokenUrl: 'https://idp.example.com/token',
      clientId: 'orgsync',
      clientSecret: 'upstream-secret-for-the-test',
    });
    const interrupts = new EventEmitter();

    const result = await orgsync(
      cli,
      ['sync', 'run', connection.id, '--follow'],
      { follow: { ...FAST, workerWaitMs: 200 }, interrupts },
      // The operator gives up on reading the hint, as a person would.
      (text) => void (text.includes('waiting for a worker') && setImmediate(() => interrupts.emit('SIGINT'))),
    );

    expect(result.code).toBe(130);
    expect(result.stderr).toContain(NO_WORKER_MESSAGE);
    expect(result.stderr).toContain('Is an orgsync server running with SYNC_ENABLED=true against this database?');
    const runId = /Stopped following\. Sync run (\S+) goes on/.exec(result.stderr)![1]!;
    expect(await cli.json<SyncRunResponse>('sync', 'runs', 'show', runId)).toMatchObject({ status: 'queued' });
    expect(interrupts.listenerCount('SIGINT')).toBe(0);
  });
});

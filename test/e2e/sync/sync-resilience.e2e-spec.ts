import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource, In } from 'typeorm';
import { type ScimUpstream, startScimUpstream } from '../../../examples/scim-upstream/scim-upstream.js';
import { MemberEntity } from '../../../src/resources/members/member.entity.js';
import { SyncConnectionEntity } from '../../../src/sync/connections/sync-connection.entity.js';
import { SyncClaimsRepository } from '../../../src/sync/engine/sync-claims.repository.js';
import { SyncScheduler } from '../../../src/sync/engine/sync.scheduler.js';
import { SyncRunEntity } from '../../../src/sync/runs/sync-run.entity.js';
import { adminToken, basicAuthorization, createOrganization } from '../../support/factories.js';
import { createSyncConnection } from '../../support/sync-factories.js';
import { compileOrgsync, killed, type OrgsyncChild, startOrgsyncChild } from '../../support/orgsync-process.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { waitFor } from '../../support/wait-for.js';

interface Run {
  id: string;
  trigger: string;
  status: string;
  mode: string | null;
  error: string | null;
  pages: number;
  started_at: string | null;
  finished_at: string | null;
  stats: { members: Record<string, number>; groups: Record<string, number> };
  takeovers: number;
  resumed_at: string | null;
}

interface Connection {
  id: string;
  interval_seconds: number;
  watermark: string | null;
  next_run_at: string;
  updated_at: string;
  consecutive_failures: number;
}

const FINISHED = ['succeeded', 'failed'];

const millis = (instant: string | Date | null): number => (instant === null ? Number.NaN : new Date(instant).getTime());

/** The connection's members as rows per external ID, tombstones included: duplicates would show as a count above 1. */
async function membersByExternalId(dataSource: DataSource, connectionId: string): Promise<Map<string, { rows: number; live: number }>> {
  const rows = await dataSource
    .getRepository(MemberEntity)
    .find({ select: { externalId: true, deletedAt: true }, where: { source: connectionId } });
  const byExternal = new Map<string, { rows: number; live: number }>();
  for (const row of rows) {
    const entry = byExternal.get(row.externalId!) ?? { rows: 0, live: 0 };
    entry.rows += 1;
    if (row.deletedAt === null) entry.live += 1;
    byExternal.set(row.externalId!, entry);
  }
  return byExternal;
}

/** Every upstream user is exactly one live member of the connection, and the connection has no other record. */
async function expectEveryUserOnce(dataSource: DataSource, connectionId: string, upstream: ScimUpstream): Promise<void> {
  const members = await membersByExternalId(dataSource, connectionId);
  const upstreamIds = upstream.directory.listUsers().map((user) => user.id);
  expect([...members.keys()].sort()).toEqual([...upstreamIds].sort());
  expect([...members.values()].filter((entry) => entry.rows !== 1 || entry.live !== 1)).toEqual([]);
}

/** The SCIM list requests of one endpoint, as the upstream saw them. */
function listQueries(upstream: ScimUpstream, path: '/Users' | '/Groups'): string[] {
  return upstream.stats.apiRequestLog.filter((entry) => entry.path === path).map((entry) => entry.query);
}

/** Admin helpers over HTTP against one in-process app. */
function adminApi(t: TestApp, admin: () => string) {
  const api = {
    runs: async (connectionId: string): Promise<Run[]> =>
      (await t.http().get(`/admin/sync-connections/${connectionId}/runs?limit=100`).auth(admin(), { type: 'bearer' })).body.data as Run[],
    connection: async (connectionId: string): Promise<Connection> =>
      (await t.http().get(`/admin/sync-connections/${connectionId}`).auth(admin(), { type: 'bearer' })).body as Connection,
    /** Waits until the connection has `count` finished runs; returns them oldest first. */
    finishedRuns: (connectionId: string, count: number): Promise<Run[]> =>
      waitFor(`${count} finished run(s) of connection ${connectionId}`, async () => {
        const finished = (await api.runs(connectionId)).filter((run) => FINISHED.includes(run.status)).reverse();
        return finished.length >= count && finished;
      }),
    /** Asks for a manual run and waits for it to finish. */
    runNow: async (connectionId: string): Promise<Run> => {
      const queued = await t.http().post(`/admin/sync-connections/${connectionId}/runs`).auth(admin(), { type: 'bearer' });
      expect(queued.status).toBe(202);
      return waitFor(`run ${queued.body.id}`, async () => {
        const run = (await t.http().get(`/admin/sync-runs/${queued.body.id}`).auth(admin(), { type: 'bearer' })).body as Run;
        return FINISHED.includes(run.status) && run;
      });
    },
  };
  return api;
}

/**
 * The sync worker's scheduling and failure handling against the real app and
 * a real SCIM upstream, with the scheduler polling every 100 ms: nothing here
 * triggers a first run by hand.
 */
describe('the sync scheduler on its own', () => {
  let t: TestApp;
  let admin: string;
  let api: ReturnType<typeof adminApi>;
  const upstreams: ScimUpstream[] = [];
  const connections: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ SYNC_POLL_INTERVAL_MS: '100', SYNC_MAX_CONCURRENT_RUNS: '1', SYNC_HTTP_TIMEOUT_MS: '5000' });
    admin = await adminToken(t);
    api = adminApi(t, () => admin);
  });
  // A test's connections stop once it is over, so later tests see only their own runs.
  afterEach(async () => {
    await t.app
      .get(DataSource)
      .getRepository(SyncConnectionEntity)
      .update({ id: In(connections) }, { enabled: false });
    await t.app.get(SyncScheduler).idle();
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  async function upstreamWith(options: Parameters<typeof startScimUpstream>[0]): Promise<ScimUpstream> {
    const upstream = await startScimUpstream({ maxResults: 100, ...options });
    upstreams.push(upstream);
    return upstream;
  }

  /** A connection in an organization of its own (emails are unique per organization), due at once. */
  async function connect(upstream: ScimUpstream, overrides: Record<string, unknown> = {}): Promise<string> {
    const organization = await createOrganization(t, admin, `Resilience ${connections.length + 1}`);
    const connection = await createSyncConnection(t, admin, organization.id, {
      base_url: upstream.baseUrl,
      token_url: upstream.tokenUrl,
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      interval_seconds: 3600,
      ...overrides,
    });
    connections.push(connection.id);
    return connection.id;
  }

  it('runs a due connection by itself, then not again until interval_seconds have passed', async () => {
    const upstream = await upstreamWith({ users: 250, groups: 5, membersPerGroup: 10 });
    const connectionId = await connect(upstream);
    const [run] = await api.finishedRuns(connectionId, 1);
    expect(run).toMatchObject({ trigger: 'schedule', status: 'succeeded', mode: 'full' });

    const connection = await api.connection(connectionId);
    expect(connection.consecutive_failures).toBe(0);
    // The next run is one interval after the run ended (both stamped at the same instant when the lease was released).
    expect(millis(connection.next_run_at) - millis(connection.updated_at)).toBe(3600 * 1000);
    expect(millis(connection.next_run_at)).toBeGreaterThanOrEqual(millis(run!.started_at) + 3600 * 1000);
    expect(millis(connection.next_run_at)).toBeLessThanOrEqual(millis(run!.finished_at) + 3600 * 1000);

    // Several more scheduling passes go by, and none of them claims the connection again.
    const passes = jest.spyOn(t.app.get(SyncClaimsRepository), 'claimDue');
    try {
      await waitFor('five more scheduling passes', async () => passes.mock.calls.length >= 5);
      const claimed = await Promise.all(passes.mock.results.map((result) => result.value));
      expect(claimed.flat()).toEqual([]);
    } finally {
      passes.mockRestore();
    }
    expect(await api.runs(connectionId)).toHaveLength(1);
  });

  it('backs off after failed runs, never past interval_seconds, and a success resets the failure count', async () => {
    const upstream = await upstreamWith({ users: 150 });
    upstream.faults.failPage(1, { endpoint: 'Users', times: 'always' });
    const connectionId = await connect(upstream, { interval_seconds: 60 });
    const interval = 60 * 1000;

    // The first failure comes from the schedule, the next two are asked for: the backoff grows, up to the interval.
    for (let failures = 1; failures <= 3; failures++) {
      const failed = failures === 1 ? (await api.finishedRuns(connectionId, 1))[0]! : await api.runNow(connectionId);
      expect(failed).toMatchObject({ trigger: failures === 1 ? 'schedule' : 'manual', status: 'failed' });
      expect(failed.error).toContain('answered 500');
      const connection = await api.connection(connectionId);
      expect(connection.consecutive_failures).toBe(failures);
      // updated_at is the instant the failure was recorded; next_run_at lies after it, at most one interval later.
      const backoff = millis(connection.next_run_at) - millis(connection.updated_at);
      expect(millis(connection.updated_at)).toBeGreaterThanOrEqual(millis(failed.finished_at));
      expect(backoff).toBeGreaterThan(0);
      expect(backoff).toBeLessThanOrEqual(interval);
    }

    upstream.faults.clear();
    const recovered = await api.runNow(connectionId);
    expect(recovered.status).toBe('succeeded');
    const connection = await api.connection(connectionId);
    expect(connection.consecutive_failures).toBe(0);
    expect(millis(connection.next_run_at) - millis(connection.updated_at)).toBe(interval);
    await expectEveryUserOnce(t.app.get(DataSource), connectionId, upstream);
  });

  it('pages with RFC 9865 cursors when the upstream offers them, and every user arrives exactly once', async () => {
    const upstream = await upstreamWith({ users: 1050, groups: 5, membersPerGroup: 20, cursorPaging: true });
    const connectionId = await connect(upstream);
    const [run] = await api.finishedRuns(connectionId, 1);
    expect(run).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(run!.stats.members).toMatchObject({ fetched: 1050, created: 1050 });

    const queries = listQueries(upstream, '/Users');
    expect(queries.length).toBeGreaterThanOrEqual(11);
    expect(queries.every((query) => new URLSearchParams(query).has('cursor') && !new URLSearchParams(query).has('startIndex'))).toBe(true);
    // After the first page, each request carries the cursor the previous page handed out.
    expect(new Set(queries.map((query) => new URLSearchParams(query).get('cursor'))).size).toBe(queries.length);
    await expectEveryUserOnce(t.app.get(DataSource), connectionId, upstream);
  });

  it('makes every run a full run against an upstream that cannot filter, duplicating nothing', async () => {
    const upstream = await upstreamWith({ users: 300, filterSupported: false });
    const connectionId = await connect(upstream);
    const [first] = await api.finishedRuns(connectionId, 1);
    expect(first).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect((await api.connection(connectionId)).watermark).not.toBeNull();

    const changed = upstream.directory.listUsers()[42]!;
    upstream.directory.updateUser(changed.id, { title: 'Changed upstream' });
    upstream.directory.addUser({ userName: 'late-joiner' });
    const second = await api.runNow(connectionId);
    expect(second).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(second.stats.members).toMatchObject({ fetched: 301, created: 1, updated: 1, unchanged: 299, deleted: 0 });
    expect(listQueries(upstream, '/Users').some((query) => new URLSearchParams(query).has('filter'))).toBe(false);

    await expectEveryUserOnce(t.app.get(DataSource), connectionId, upstream);
    const member = await t.app
      .get(DataSource)
      .getRepository(MemberEntity)
      .findOneByOrFail({ source: connectionId, externalId: changed.id });
    expect(member.title).toBe('Changed upstream');
  });

  it('fails a run whose page is always malformed JSON, deleting nothing and keeping the watermark', async () => {
    const upstream = await upstreamWith({ users: 300 });
    // Every run a full one: a complete listing would delete what vanished upstream.
    const connectionId = await connect(upstream, { full_sync_every: 1 });
    expect((await api.finishedRuns(connectionId, 1))[0]!.status).toBe('succeeded');
    const before = await api.connection(connectionId);
    expect(before.watermark).not.toBeNull();

    const [removed, changed] = upstream.directory.listUsers();
    upstream.directory.removeUser(removed!.id);
    upstream.directory.updateUser(changed!.id, { title: 'Newer than the watermark' });
    upstream.faults.malformedJson({ endpoint: 'Users', page: 2, times: 'always' });
    const failed = await api.runNow(connectionId);
    expect(failed).toMatchObject({ status: 'failed', mode: 'full' });
    expect(failed.error).toMatch(/not JSON/);
    expect(failed.stats.members.deleted).toBe(0);

    const after = await api.connection(connectionId);
    expect(after.watermark).toBe(before.watermark);
    expect(after.consecutive_failures).toBe(1);
    const members = await membersByExternalId(t.app.get(DataSource), connectionId);
    expect(members.size).toBe(300);
    expect([...members.values()].every((entry) => entry.rows === 1 && entry.live === 1)).toBe(true);
    expect(members.get(removed!.id)).toEqual({ rows: 1, live: 1 });
  });

  it('runs at most SYNC_MAX_CONCURRENT_RUNS (1) at a time: two due connections run one after the other', async () => {
    const upstream = await upstreamWith({ users: 1000, groups: 10, membersPerGroup: 50 });
    const first = await connect(upstream, { enabled: false });
    const second = await connect(upstream, { enabled: false });
    // Both become due in one statement, so one scheduling pass finds both.
    await t.app
      .get(DataSource)
      .getRepository(SyncConnectionEntity)
      .update({ id: In([first, second]) }, { enabled: true });

    const runs = [(await api.finishedRuns(first, 1))[0]!, (await api.finishedRuns(second, 1))[0]!];
    expect(runs.map((run) => [run.trigger, run.status])).toEqual([
      ['schedule', 'succeeded'],
      ['schedule', 'succeeded'],
    ]);
    const [earlier, later] = [...runs].sort((a, b) => millis(a.started_at) - millis(b.started_at));
    expect(millis(earlier!.finished_at)).toBeLessThanOrEqual(millis(later!.started_at));
    await expectEveryUserOnce(t.app.get(DataSource), first, upstream);
    await expectEveryUserOnce(t.app.get(DataSource), second, upstream);
  }, 60_000);
});

describe('upstream requests that hang', () => {
  let t: TestApp;
  let admin: string;
  let api: ReturnType<typeof adminApi>;
  const upstreams: ScimUpstream[] = [];

  beforeAll(async () => {
    t = await startTestApp({ SYNC_POLL_INTERVAL_MS: '100', SYNC_HTTP_TIMEOUT_MS: '300' });
    admin = await adminToken(t);
    api = adminApi(t, () => admin);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  async function connectTo(upstream: ScimUpstream): Promise<string> {
    upstreams.push(upstream);
    const organization = await createOrganization(t, admin, `Hanging ${upstreams.length}`);
    return (
      await createSyncConnection(t, admin, organization.id, {
        base_url: upstream.baseUrl,
        token_url: upstream.tokenUrl,
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
      })
    ).id;
  }

  it('times out a request that hangs once, asks again, and the run succeeds', async () => {
    const upstream = await startScimUpstream({ users: 300, maxResults: 100 });
    upstream.faults.hang({ endpoint: 'Users', times: 1 });
    const connectionId = await connectTo(upstream);
    const [run] = await api.finishedRuns(connectionId, 1);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(upstream.faults.pending).toBe(0);
    // The hung first page was asked for again, with the same query.
    const [hung, retried] = listQueries(upstream, '/Users');
    expect(retried).toBe(hung);
    await expectEveryUserOnce(t.app.get(DataSource), connectionId, upstream);
  });

  it('fails the run, naming the timeout, when a request hangs every time', async () => {
    const upstream = await startScimUpstream({ users: 300, maxResults: 100 });
    upstream.faults.hang({ endpoint: 'Users', times: 'always' });
    const connectionId = await connectTo(upstream);
    const [run] = await api.finishedRuns(connectionId, 1);
    expect(run!.status).toBe('failed');
    expect(run!.error).toMatch(/\/scim\/v2\/Users did not answer within 300 ms/);
    expect(await membersByExternalId(t.app.get(DataSource), connectionId)).toEqual(new Map());
    expect((await api.connection(connectionId)).consecutive_failures).toBe(1);
  });
});

/**
 * A run that holds on to one upstream request longer than its lease: the
 * scheduler of the same process takes the connection over like any other
 * worker would, and resumes the run; the fencing token stops the old attempt.
 * The process still owes the old attempt a proper end: waiting for it (idle,
 * shutdown), without letting it record anything over the run it lost.
 */
describe('a run that outlives its lease', () => {
  let t: TestApp;
  let upstream: ScimUpstream;

  beforeAll(async () => {
    t = await startTestApp({
      SYNC_POLL_INTERVAL_MS: '100',
      SYNC_LEASE_SECONDS: '2',
      SYNC_HTTP_TIMEOUT_MS: '120000',
      SYNC_MAX_CONCURRENT_RUNS: '2',
    });
    upstream = await startScimUpstream({ users: 300, maxResults: 100 });
  });
  afterAll(async () => {
    await upstream.close();
    await t.close();
  });

  it('is taken over and resumed once its lease expires, and the worker still waits for the old attempt to end', async () => {
    const admin = await adminToken(t);
    const api = adminApi(t, () => admin);
    upstream.faults.hang({ endpoint: 'Users', page: 2, times: 1 });
    const organization = await createOrganization(t, admin, 'Outlived');
    const connectionId = (
      await createSyncConnection(t, admin, organization.id, {
        base_url: upstream.baseUrl,
        token_url: upstream.tokenUrl,
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
      })
    ).id;

    const [resumed] = await waitFor('the run to be taken over and succeed', async () => {
      const runs = await api.runs(connectionId);
      return runs.some((run) => run.status === 'succeeded') && runs;
    });
    // Changed with issue 7: the take-over resumes the same run (it used to fail it and start a second one).
    expect(await api.runs(connectionId)).toHaveLength(1);
    expect(resumed).toMatchObject({ trigger: 'schedule', status: 'succeeded', error: null, takeovers: 1, pages: 4 });
    expect(resumed!.stats.members).toMatchObject({ fetched: 300, created: 300 });
    // From the page after the last committed one: page 1 was listed once, page 2 by both attempts.
    expect(listQueries(upstream, '/Users').map((query) => new URLSearchParams(query).get('startIndex'))).toEqual([
      '1',
      '101',
      '101',
      '201',
    ]);

    // Ending the hung request (the upstream goes away) lets the old attempt end; the worker waits for that.
    await upstream.close();
    await t.app.get(SyncScheduler).idle();
    // Fenced off: the old attempt's failure overwrote neither the run's success nor the connection's state.
    expect((await api.runs(connectionId))[0]).toMatchObject({ id: resumed!.id, status: 'succeeded', error: null, pages: 4 });
    expect(await api.connection(connectionId)).toMatchObject({ consecutive_failures: 0 });
    await expectEveryUserOnce(t.app.get(DataSource), connectionId, upstream);
  });
});

/**
 * A worker killed in the middle of a run (SIGKILL: no shutdown hook, no
 * release) and another one taking over once the lease ran out: the pages the
 * dead worker committed stay and are not fetched again, nothing is written
 * twice, the same run resumes from its checkpoint and moves the watermark.
 */
describe('a worker killed mid-run, and the one after it', () => {
  const USERS = 3000;
  const secretsKey = randomBytes(32).toString('hex');
  let build: Awaited<ReturnType<typeof compileOrgsync>>;
  let database: TestDatabase;
  let upstream: ScimUpstream;
  let first: OrgsyncChild | undefined;
  let second: TestApp | undefined;

  beforeAll(async () => {
    upstream = await startScimUpstream({ users: USERS, groups: 10, membersPerGroup: 30, maxResults: 100 });
    database = await createTestDatabase();
    build = await compileOrgsync();
  }, 180_000);
  afterAll(async () => {
    if (first) await killed(first.child);
    await second?.close();
    await upstream?.close();
    await database?.drop();
    await build?.remove();
  });

  it('loses nothing and duplicates nothing', async () => {
    // Page 15 of /Users hangs, and this worker would wait two minutes for it: long after its two-second lease.
    upstream.faults.hang({ endpoint: 'Users', page: 15, times: 1 });
    first = await startOrgsyncChild(build.main, database, {
      SECRETS_KEY: secretsKey,
      SYNC_LEASE_SECONDS: '2',
      SYNC_POLL_INTERVAL_MS: '100',
      SYNC_HTTP_TIMEOUT_MS: '120000',
      // Its only run slot is taken by the hanging run, so it cannot take over its own expired lease before it dies.
      SYNC_MAX_CONCURRENT_RUNS: '1',
    });
    const token = (
      await first
        .http()
        .post('/oauth/token')
        .set('authorization', basicAuthorization(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET))
        .type('form')
        .send({ grant_type: 'client_credentials' })
    ).body.access_token as string;
    const organization = await first.http().post('/admin/organizations').auth(token, { type: 'bearer' }).send({ name: 'Killed mid-run' });
    const created = await first
      .http()
      .post(`/admin/organizations/${organization.body.id}/sync-connections`)
      .auth(token, { type: 'bearer' })
      .send({
        name: 'Example IdP',
        base_url: upstream.baseUrl,
        token_url: upstream.tokenUrl,
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        interval_seconds: 3600,
      });
    expect(created.status).toBe(201);
    const connectionId = created.body.id as string;

    // The scheduler starts the run by itself; once page 15 is hanging, fourteen pages have committed.
    await waitFor('the request for page 15 to hang', async () => upstream.faults.pending === 0, 60_000);
    const runs = (await first.http().get(`/admin/sync-connections/${connectionId}/runs`).auth(token, { type: 'bearer' })).body
      .data as Run[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'running', pages: 14 });
    const killedRunId = runs[0]!.id;
    await killed(first.child);
    const requestsBefore = listQueries(upstream, '/Users').length;

    // The second worker polls rarely: the state the dead one left is read first, then the scheduler is driven by hand.
    second = await startTestApp({ SECRETS_KEY: secretsKey, SYNC_LEASE_SECONDS: '2', SYNC_POLL_INTERVAL_MS: '600000' }, database);
    const dataSource = second.app.get(DataSource);
    const left = await dataSource.getRepository(SyncConnectionEntity).findOneByOrFail({ id: connectionId });
    expect(left).toMatchObject({ watermark: null, consecutiveFailures: 0, leaseToken: 1 });
    expect(left.leaseOwner).not.toBeNull();
    expect(left.leaseExpiresAt).not.toBeNull();
    expect(await dataSource.getRepository(SyncRunEntity).findOneByOrFail({ id: killedRunId })).toMatchObject({
      status: 'running',
      pages: 14,
    });
    const committed = [...(await membersByExternalId(dataSource, connectionId)).values()];
    expect(committed).toHaveLength(1400);
    expect(committed.every((entry) => entry.rows === 1 && entry.live === 1)).toBe(true);

    const scheduler = second.app.get(SyncScheduler);
    const resumed = await waitFor('the run to be resumed after the dead worker’s lease expired', async () => {
      await scheduler.tick();
      await scheduler.idle();
      return dataSource.getRepository(SyncRunEntity).findOne({ where: { connectionId, status: 'succeeded' } });
    });
    // Changed with issue 7: the dead worker's run is resumed (same id), no longer failed and followed by a new full run.
    expect(resumed.id).toBe(killedRunId);
    expect(await dataSource.getRepository(SyncRunEntity).countBy({ connectionId })).toBe(1);
    expect(resumed).toMatchObject({ trigger: 'schedule', mode: 'full', error: null, pages: 31 });
    // Taken over only once the lease had run out.
    const response = (
      await second
        .http()
        .get(`/admin/sync-runs/${killedRunId}`)
        .auth(await adminToken(second), { type: 'bearer' })
    ).body as Run;
    expect(response.takeovers).toBe(1);
    expect(millis(response.resumed_at)).toBeGreaterThan(left.leaseExpiresAt!.getTime());
    // The stats carry on from the dead worker's 14 pages; the resumed listing started at page 15.
    const stats = JSON.parse(resumed.stats) as Run['stats'];
    expect(stats.members).toMatchObject({ fetched: USERS, created: USERS, unchanged: 0, updated: 0, deleted: 0 });
    expect(stats.groups).toMatchObject({ fetched: 10, created: 10 });
    const startIndexes = listQueries(upstream, '/Users')
      .slice(requestsBefore)
      .map((query) => Number(new URLSearchParams(query).get('startIndex')));
    expect(startIndexes[0]).toBe(1401);
    expect(startIndexes.every((startIndex) => startIndex >= 1401)).toBe(true);

    await expectEveryUserOnce(dataSource, connectionId, upstream);
    const after = await dataSource.getRepository(SyncConnectionEntity).findOneByOrFail({ id: connectionId });
    const records = [...upstream.directory.listUsers(), ...upstream.directory.listGroups()];
    const newest = Math.max(...records.map((record) => Date.parse(record.meta.lastModified)));
    expect(after.watermark?.getTime()).toBe(newest);
    expect(after).toMatchObject({ consecutiveFailures: 0, leaseOwner: null, leaseToken: 2 });
  }, 180_000);
});

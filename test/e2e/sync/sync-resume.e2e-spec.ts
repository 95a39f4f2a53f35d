import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource, In } from 'typeorm';
import { type ScimUpstream, startScimUpstream } from '../../../examples/scim-upstream/scim-upstream.js';
import { MemberEntity } from '../../../src/resources/members/member.entity.js';
import { SyncConnectionEntity } from '../../../src/sync/connections/sync-connection.entity.js';
import { LeaseLostError, SyncClaimsRepository } from '../../../src/sync/engine/sync-claims.repository.js';
import { SyncScheduler } from '../../../src/sync/engine/sync.scheduler.js';
import { parseCheckpoint, type SyncCheckpoint } from '../../../src/sync/runs/sync-checkpoint.js';
import { SyncRunEntity } from '../../../src/sync/runs/sync-run.entity.js';
import { UpstreamTokenEntity } from '../../../src/sync/upstream/upstream-token.entity.js';
import { adminToken, createOrganization } from '../../support/factories.js';
import { createSyncConnection, upstreamConnectionInput } from '../../support/sync-factories.js';
import { LogCapture, startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { waitFor } from '../../support/wait-for.js';

interface RunResponse {
  id: string;
  status: string;
  error: string | null;
  pages: number;
  takeovers: number;
  resumed_at: string | null;
  stats: { members: Record<string, number>; groups: Record<string, number> };
}

/** The startIndex or cursor of each SCIM /Users listing request, in order. */
function userListings(upstream: ScimUpstream, parameter: 'startIndex' | 'cursor'): Array<string | null> {
  return upstream.stats.apiRequestLog
    .filter((entry) => entry.path === '/Users')
    .map((entry) => new URLSearchParams(entry.query).get(parameter));
}

/**
 * Replicas of the sync worker on one database (two in-process apps, A and B,
 * and a third that shuts down), against the example SCIM upstream. The
 * schedulers never poll by themselves: each pass is driven by hand, so a
 * "dead" worker is one whose upstream request hangs while the test expires
 * its lease, and the next pass of another replica takes the run over.
 */
describe('sync runs resumed across replicas', () => {
  const secretsKey = randomBytes(32).toString('hex');
  // One issuer for every replica, as behind one URL: a token from one is good at the others.
  const env = { SECRETS_KEY: secretsKey, ISSUER: 'https://orgsync.test', SYNC_POLL_INTERVAL_MS: '600000', SYNC_MAX_CONCURRENT_RUNS: '8' };
  const logs = { stopping: new LogCapture(), a: new LogCapture(), b: new LogCapture() };
  /** Nest's logger is one per process, so each app's lines may land in any capture: they are read together. */
  const allLogs = () =>
    Object.values(logs)
      .map((capture) => capture.text())
      .join('');
  let database: TestDatabase;
  /** The replica that shuts down in the middle of a run. */
  let stopping: TestApp | undefined;
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let dataSource: DataSource;
  const upstreams: ScimUpstream[] = [];
  const connections: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Started first: passport's strategies are one per process, the last app's; closing this one must not take A's and B's away.
    stopping = await startTestApp(env, database, { logs: logs.stopping });
    // A's upstream requests time out after 5 s: long after B took its run over, so its late page meets the fencing token.
    a = await startTestApp({ ...env, SYNC_HTTP_TIMEOUT_MS: '5000' }, database, { logs: logs.a });
    b = await startTestApp(env, database, { logs: logs.b });
    admin = await adminToken(a);
    dataSource = a.app.get(DataSource);
  }, 60_000);
  // A test's connections stop once it is over, so the next scheduling passes see only the next test's.
  afterEach(async () => {
    await dataSource.getRepository(SyncConnectionEntity).update({ id: In(connections) }, { enabled: false });
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    await b?.close();
    await a?.close();
    await stopping?.close();
    await database?.drop();
  });

  const schedulerOf = (t: TestApp) => t.app.get(SyncScheduler);

  async function upstreamWith(options: Parameters<typeof startScimUpstream>[0]): Promise<ScimUpstream> {
    const upstream = await startScimUpstream({ maxResults: 100, ...options });
    upstreams.push(upstream);
    return upstream;
  }

  /** A connection in an organization of its own, due at once. */
  async function connect(upstream: ScimUpstream): Promise<string> {
    const organization = await createOrganization(a, admin, `Resumed ${connections.length + 1}`);
    const connection = await createSyncConnection(a, admin, organization.id, {
      ...upstreamConnectionInput(upstream),
      interval_seconds: 3600,
    });
    connections.push(connection.id);
    return connection.id;
  }

  const connectionRow = (id: string) => dataSource.getRepository(SyncConnectionEntity).findOneByOrFail({ id });
  const runRows = (connectionId: string) => dataSource.getRepository(SyncRunEntity).find({ where: { connectionId }, order: { id: 'ASC' } });
  const checkpointOf = (run: SyncRunEntity): SyncCheckpoint => parseCheckpoint(run.checkpoint)!;

  async function runResponse(runId: string): Promise<RunResponse> {
    const response = await a.http().get(`/admin/sync-runs/${runId}`).auth(admin, { type: 'bearer' });
    expect(response.status).toBe(200);
    return response.body as RunResponse;
  }

  /** The worker holding the connection "dies": its lease runs out (the test makes it so) while its request hangs. */
  async function expireLease(connectionId: string): Promise<void> {
    await dataSource.getRepository(SyncConnectionEntity).update({ id: connectionId }, { leaseExpiresAt: new Date(Date.now() - 1000) });
  }

  /** One scheduling pass of `t`, and every run it started, to the end. */
  async function pass(t: TestApp): Promise<void> {
    await schedulerOf(t).tick();
    await schedulerOf(t).idle();
  }

  /** Every upstream user is exactly one live member of the connection, and the connection has no other member. */
  async function expectEveryUserOnce(connectionId: string, upstream: ScimUpstream): Promise<void> {
    const rows = await dataSource.getRepository(MemberEntity).find({ where: { source: connectionId } });
    expect(rows.map((row) => row.externalId).sort()).toEqual(
      upstream.directory
        .listUsers()
        .map((user) => user.id)
        .sort(),
    );
    expect(rows.filter((row) => row.deletedAt !== null)).toEqual([]);
  }

  it('resumes a dead worker’s run from its checkpoint: same run, no page listed again, every member once, the dead worker fenced off', async () => {
    const upstream = await upstreamWith({ users: 500, groups: 5, membersPerGroup: 20 });
    upstream.faults.hang({ endpoint: 'Users', page: 3, times: 1 });
    const connectionId = await connect(upstream);
    const renewals = jest.spyOn(a.app.get(SyncClaimsRepository), 'renew');
    try {
      await schedulerOf(a).tick();
      await waitFor('the request for page 3 to hang', async () => upstream.faults.pending === 0);
      const [started] = await runRows(connectionId);
      expect(started).toMatchObject({ status: 'running', pages: 2 });
      // Written with page 2, in its transaction: the next page starts at index 201.
      expect(checkpointOf(started!)).toMatchObject({ mode: 'full', stream: 'users', position: 'index:201', pages: 2, takeovers: 0 });

      await expireLease(connectionId);
      const listedBefore = userListings(upstream, 'startIndex').length;
      await pass(b);

      const runs = await runRows(connectionId);
      expect(runs.map((run) => [run.id, run.status, run.error])).toEqual([[started!.id, 'succeeded', null]]);
      const resumed = await runResponse(started!.id);
      expect(resumed).toMatchObject({ pages: 6, takeovers: 1 });
      expect(Date.parse(resumed.resumed_at!)).toBeGreaterThan(started!.startedAt!.getTime());
      // The stats carry on from the dead worker's two pages.
      expect(resumed.stats.members).toMatchObject({ fetched: 500, created: 500, unchanged: 0 });
      expect(resumed.stats.groups).toMatchObject({ fetched: 5, created: 5 });
      // B listed from the checkpoint on; pages 1 and 2 (startIndex 1 and 101) were never asked for again.
      expect(new Set(userListings(upstream, 'startIndex').slice(listedBefore))).toEqual(new Set(['201', '301', '401']));
      await expectEveryUserOnce(connectionId, upstream);
      expect(await connectionRow(connectionId)).toMatchObject({ leaseOwner: null, consecutiveFailures: 0, runsSinceFull: 0 });

      // The dead worker wakes: its request times out, it asks for page 3 again, and its write of it is refused.
      await schedulerOf(a).idle();
      const outcomes = await Promise.allSettled(renewals.mock.results.map((result) => result.value as Promise<void>));
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
      const after = await runResponse(started!.id);
      expect(after).toMatchObject({ status: 'succeeded', error: null, pages: 6 });
      expect(after.stats).toEqual(resumed.stats);
      expect(await connectionRow(connectionId)).toMatchObject({ consecutiveFailures: 0 });
      await expectEveryUserOnce(connectionId, upstream);
    } finally {
      renewals.mockRestore();
    }
  }, 60_000);

  it('starts a cursor-paged listing over, inside the same run, when the cursor it resumes from has expired', async () => {
    const upstream = await upstreamWith({ users: 500, cursorPaging: true, cursorTimeoutSeconds: 1 });
    upstream.faults.hang({ endpoint: 'Users', page: 3, times: 1 });
    const connectionId = await connect(upstream);
    await schedulerOf(a).tick();
    await waitFor('the request for page 3 to hang', async () => upstream.faults.pending === 0);
    const [started] = await runRows(connectionId);
    const position = checkpointOf(started!).position!;
    expect(position).toMatch(/^cursor:/);
    await expireLease(connectionId);

    // The upstream itself says when the cursor has expired (RFC 9865 section 2).
    const stale = position.slice('cursor:'.length);
    const token = await upstreamToken(upstream);
    await waitFor('the stored cursor to expire', async () => {
      const response = await fetch(`${upstream.baseUrl}/Users?count=100&cursor=${stale}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return response.status === 400 && ((await response.json()) as { scimType?: string }).scimType === 'expiredCursor';
    });
    upstream.stats.reset();
    await pass(b);

    const runs = await runRows(connectionId);
    expect(runs.map((run) => [run.id, run.status, run.error])).toEqual([[started!.id, 'succeeded', null]]);
    // The stale cursor once, then the listing from its start, each later request with the cursor the page before handed out.
    const cursors = userListings(upstream, 'cursor');
    expect(cursors.slice(0, 2)).toEqual([stale, '']);
    expect(cursors).toHaveLength(6);
    const resumed = await runResponse(started!.id);
    expect(resumed).toMatchObject({ takeovers: 1, pages: 2 + 5 + 1 });
    // Read twice, written once: the first 200 users come back unchanged.
    expect(resumed.stats.members).toMatchObject({ fetched: 700, created: 500, unchanged: 200, updated: 0 });
    await expectEveryUserOnce(connectionId, upstream);

    // A's hung request times out; it asks again with its own, expired, cursor and ends without recording anything.
    await schedulerOf(a).idle();
    expect(await runResponse(started!.id)).toMatchObject({ status: 'succeeded', error: null });
    expect(await connectionRow(connectionId)).toMatchObject({ consecutiveFailures: 0 });
  }, 60_000);

  it('hands a run stopped by a shutdown over, not failed and without backoff, and another replica resumes it at once', async () => {
    const upstream = await upstreamWith({ users: 500 });
    // Page 3 answers 503 with Retry-After: 1 once: the run waits between pages, and the replica shuts down meanwhile.
    upstream.faults.throttle({ endpoint: 'Users', page: 3, retryAfterSeconds: 1 });
    const connectionId = await connect(upstream);
    await schedulerOf(stopping!).tick();
    await waitFor('page 3 to be throttled', async () => upstream.faults.pending === 0);
    await stopping!.close();
    stopping = undefined;

    const [handedOver] = await runRows(connectionId);
    expect(handedOver).toMatchObject({ status: 'running', pages: 2, error: null, finishedAt: null });
    expect(checkpointOf(handedOver!)).toMatchObject({ stream: 'users', position: 'index:201', interrupted: true });
    const left = await connectionRow(connectionId);
    expect(left).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, consecutiveFailures: 0 });
    expect(left.nextRunAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(allLogs()).toContain(
      `Sync run ${handedOver!.id} of connection ${connectionId} was interrupted by the shutdown after 2 committed page(s)`,
    );
    expect(allLogs()).not.toContain(upstream.clientSecret);
    for (const token of upstream.stats.bearerTokens) expect(allLogs()).not.toContain(token);

    // No lease to wait for: B's next pass takes the run and resumes it.
    const listedBefore = userListings(upstream, 'startIndex').length;
    await pass(b);
    const runs = await runRows(connectionId);
    expect(runs.map((run) => [run.id, run.status, run.error])).toEqual([[handedOver!.id, 'succeeded', null]]);
    expect(await runResponse(handedOver!.id)).toMatchObject({ takeovers: 1, pages: 6 });
    // A hand-over is no crash: it does not count towards the poison-run guard.
    expect(checkpointOf(runs[0]!)).toMatchObject({ takeovers: 1, abandonments: 0, interrupted: false });
    expect(userListings(upstream, 'startIndex').slice(listedBefore)).toEqual(['201', '301', '401']);
    expect(await connectionRow(connectionId)).toMatchObject({ consecutiveFailures: 0, leaseOwner: null });
    await expectEveryUserOnce(connectionId, upstream);
  }, 60_000);

  it('fails a run whose workers keep vanishing after three take-overs, and backs the connection off', async () => {
    const upstream = await upstreamWith({ users: 300 });
    // Page 2 never answers: every worker that takes the run over gets stuck on it, as if the page killed it.
    upstream.faults.hang({ endpoint: 'Users', page: 2, times: 'always' });
    const connectionId = await connect(upstream);
    const run = async () => (await runRows(connectionId))[0]!;
    await schedulerOf(a).tick();
    await waitFor('page 1 to commit', async () => (await run()).pages === 1);

    const replicas = [b, a, b];
    for (const [index, replica] of replicas.entries()) {
      await expireLease(connectionId);
      await schedulerOf(replica).tick();
      await waitFor(`take-over ${index + 1}`, async () => checkpointOf(await run()).takeovers === index + 1);
      expect(await run()).toMatchObject({ status: 'running', pages: 1 });
    }
    await expireLease(connectionId);
    await schedulerOf(a).tick();
    const failed = await waitFor('the run to fail', async () => {
      const current = await run();
      return current.status === 'failed' && current;
    });
    expect(failed.error).toBe(
      'The workers running this sync stopped without finishing or releasing it 4 times; it may be what stops them, ' +
        'so it was failed rather than resumed again. The next run starts over.',
    );
    expect(await runResponse(failed.id)).toMatchObject({ status: 'failed', takeovers: 3, pages: 1 });
    const connection = await connectionRow(connectionId);
    expect(connection).toMatchObject({ consecutiveFailures: 1, leaseOwner: null, watermark: null });
    expect(connection.nextRunAt.getTime()).toBeGreaterThan(connection.updatedAt.getTime());

    // The stuck workers end once the upstream goes away; fenced off, none of them records anything over the failure.
    await upstream.close();
    await Promise.all([schedulerOf(a).idle(), schedulerOf(b).idle()]);
    expect(await run()).toMatchObject({ status: 'failed', error: failed.error, pages: 1 });
    expect(await connectionRow(connectionId)).toMatchObject({ consecutiveFailures: 1 });
  }, 60_000);

  it('shares the upstream token: one fetch for two replicas, one refetch after a 401, never stored or logged in clear', async () => {
    const upstream = await upstreamWith({ users: 150 });
    const connectionId = await connect(upstream);
    const claims = a.app.get(SyncClaimsRepository);
    await pass(a);
    await claims.makeDue(connectionId, new Date());
    await pass(b);
    expect(upstream.stats.tokensIssued).toBe(1);
    const [token] = upstream.stats.bearerTokens;
    expect(upstream.stats.bearerTokens).toEqual([token]);

    const stored = await dataSource.getRepository(UpstreamTokenEntity).findOneByOrFail({ connectionId });
    expect(stored.accessToken).not.toContain(token!);
    expect(stored.accessToken).toMatch(/^v1\./);
    expect(stored.credentialsKey).not.toContain(upstream.clientSecret);
    expect(stored.credentialsKey.length).toBeLessThanOrEqual(64);
    expect(stored.expiresAt.getTime() - stored.fetchedAt.getTime()).toBe(3600 * 1000);

    // The upstream revokes it: B, then A, each meet a 401; one new token is fetched, and both use it.
    upstream.faults.revokeAllTokens();
    await claims.makeDue(connectionId, new Date());
    await pass(b);
    await claims.makeDue(connectionId, new Date());
    await pass(a);
    expect(upstream.stats.tokensIssued).toBe(2);
    expect(upstream.stats.bearerTokens).toHaveLength(2);
    const runs = await runRows(connectionId);
    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect((await dataSource.getRepository(UpstreamTokenEntity).findOneByOrFail({ connectionId })).accessToken).not.toContain(
      upstream.stats.bearerTokens[1]!,
    );

    for (const bearer of upstream.stats.bearerTokens) expect(allLogs()).not.toContain(bearer);
    expect(allLogs()).not.toContain(upstream.clientSecret);
    await expectEveryUserOnce(connectionId, upstream);
  }, 60_000);
});

/** A token of the upstream's own, for the test to ask the upstream something directly. */
async function upstreamToken(upstream: ScimUpstream): Promise<string> {
  const response = await fetch(upstream.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: upstream.clientId, client_secret: upstream.clientSecret }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

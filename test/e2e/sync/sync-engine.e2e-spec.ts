import { DataSource } from 'typeorm';
import { startScimUpstream, type ScimUpstream } from '../../../examples/scim-upstream/scim-upstream.js';
import { MemberEntity } from '../../../src/resources/members/member.entity.js';
import { SyncScheduler } from '../../../src/sync/engine/sync.scheduler.js';
import { adminToken, createClient, createOrganization, obtainToken } from '../../support/factories.js';
import { syncReadToken } from '../../support/sync-factories.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

interface Run {
  id: string;
  status: string;
  mode: string;
  error: string | null;
  pages: number;
  stats: { members: Record<string, number>; groups: Record<string, number> };
}

/**
 * The sync worker against a real SCIM 2.0 service provider on 127.0.0.1 with
 * its own client-credentials token endpoint: full and incremental runs,
 * deletions behind the circuit breaker, and failures that lose nothing.
 */
describe('the sync worker with a SCIM upstream', () => {
  let t: TestApp;
  let upstream: ScimUpstream;
  let admin: string;
  let organizationId: string;
  let partner: string;
  let connectionId: string;

  beforeAll(async () => {
    // The scheduler polls rarely: each test triggers its runs and waits for them.
    t = await startTestApp({ SYNC_POLL_INTERVAL_MS: '600000', SYNC_HTTP_TIMEOUT_MS: '500' });
    upstream = await startScimUpstream({ maxResults: 500 });
    // Seeded two hours ago and one user an hour ago: the watermark lands an hour back, and an incremental run
    // (watermark minus its five-minute overlap window) then sees only later changes.
    upstream.directory.seed({ users: 1199, groups: 20, membersPerGroup: 25 }, { at: new Date(Date.now() - 7_200_000) });
    upstream.directory.addUser({ userName: 'watermark-anchor' }, { at: new Date(Date.now() - 3_600_000) });
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin, 'Synced Org')).id;
    const partnerClient = await createClient(t, admin, organizationId, { scope: 'members:read groups:read' });
    partner = await obtainToken(t, partnerClient.client_id, partnerClient.client_secret);
    const created = await t.http().post(`/admin/organizations/${organizationId}/sync-connections`).auth(admin, { type: 'bearer' }).send({
      name: 'Example IdP',
      kind: 'scim',
      base_url: upstream.baseUrl,
      token_url: upstream.tokenUrl,
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      interval_seconds: 3600,
      full_sync_every: 24,
    });
    expect(created.status).toBe(201);
    connectionId = created.body.id;
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  async function runNow(): Promise<Run> {
    const queued = await t.http().post(`/admin/sync-connections/${connectionId}/runs`).auth(admin, { type: 'bearer' });
    expect(queued.status).toBe(202);
    await t.app.get(SyncScheduler).idle();
    return (await t.http().get(`/admin/sync-runs/${queued.body.id}`).auth(admin, { type: 'bearer' })).body as Run;
  }

  const liveSynced = () =>
    t.app
      .get(DataSource)
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .where('m.source = :source AND m.deleted_at IS NULL', { source: connectionId })
      .getCount();

  it('makes a first, full run: every user and group arrives, mapped, owned by the connection', async () => {
    const run = await runNow();
    expect(run).toMatchObject({ status: 'succeeded', mode: 'full', error: null });
    expect(run.stats.members).toMatchObject({ fetched: 1200, created: 1200, updated: 0, deleted: 0 });
    expect(run.stats.groups).toMatchObject({ fetched: 20, created: 20 });
    expect(run.pages).toBeGreaterThanOrEqual(4);
    expect(await liveSynced()).toBe(1200);

    const scimUser = upstream.directory.listUsers()[7]!;
    // The organization's partners read them through the org API, marked with their source.
    const page = (await t.http().get('/api/v1/members?limit=500').auth(partner, { type: 'bearer' })).body;
    expect(page.data).toHaveLength(500);
    expect(page.data.every((m: { source: string }) => m.source === connectionId)).toBe(true);
    const groups = (await t.http().get('/api/v1/groups?limit=500').auth(partner, { type: 'bearer' })).body.data as Array<{
      member_ids: string[];
    }>;
    expect(groups).toHaveLength(20);
    expect(groups.every((g) => g.member_ids.length === 25)).toBe(true);

    const synced = await t.app
      .get(DataSource)
      .getRepository(MemberEntity)
      .findOneByOrFail({ source: connectionId, externalId: scimUser.id });
    expect(synced).toMatchObject({
      organizationId,
      userName: scimUser.userName,
      displayName: scimUser.displayName ?? null,
      title: scimUser.title ?? null,
      active: scimUser.active,
    });
  });

  it('then runs incrementally: only what changed upstream is fetched and written', async () => {
    const [first, second] = upstream.directory.listUsers();
    upstream.directory.updateUser(first!.id, { title: 'Chief Engine Officer' });
    upstream.directory.updateUser(second!.id, { active: false });
    upstream.directory.addUser({ userName: 'newcomer' });
    const run = await runNow();
    expect(run).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    expect(run.stats.members).toMatchObject({ created: 1, updated: 2, deleted: 0 });
    expect(run.stats.members.fetched).toBeLessThan(50);
    const changed = await t.app
      .get(DataSource)
      .getRepository(MemberEntity)
      .findOneByOrFail({ source: connectionId, externalId: first!.id });
    expect(changed.title).toBe('Chief Engine Officer');
    expect(changed.version).toBe(2);
  });

  it('writes nothing twice: a run with no upstream change leaves every record as it was', async () => {
    const before = await t.app.get(DataSource).getRepository(MemberEntity).findBy({ source: connectionId });
    const tokensBefore = upstream.stats.tokensIssued;
    const run = await runNow();
    // The cached upstream token is reused across runs.
    expect(upstream.stats.tokensIssued).toBe(tokensBefore);
    expect(run.status).toBe('succeeded');
    expect(run.stats.members.created + run.stats.members.updated).toBe(0);
    const after = await t.app.get(DataSource).getRepository(MemberEntity).findBy({ source: connectionId });
    expect(after.map((m) => [m.id, m.version])).toEqual(before.map((m) => [m.id, m.version]));
  });

  it('deletes on a full run what vanished upstream, as tombstones, and takes members out of their groups', async () => {
    await t.http().patch(`/admin/sync-connections/${connectionId}`).auth(admin, { type: 'bearer' }).send({ full_sync_every: 1 });
    const gone = upstream.directory.listUsers().slice(0, 3);
    for (const user of gone) upstream.directory.removeUser(user.id);
    const run = await runNow();
    expect(run).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(run.stats.members.deleted).toBe(3);
    const tombstone = await t.app
      .get(DataSource)
      .getRepository(MemberEntity)
      .findOneByOrFail({ source: connectionId, externalId: gone[0]!.id });
    expect(tombstone.deletedAt).not.toBeNull();
    expect(await liveSynced()).toBe(1198);
  });

  it('stops at the circuit breaker when a run would delete too much, deleting nothing, until an operator confirms', async () => {
    const users = upstream.directory.listUsers();
    const removed = users.slice(0, Math.ceil(users.length * 0.3));
    for (const user of removed) upstream.directory.removeUser(user.id);
    const blocked = await runNow();
    expect(blocked.status).toBe('failed');
    expect(blocked.error).toMatch(/Circuit breaker: this run would delete \d+ of \d+ members/);
    expect(await liveSynced()).toBe(1198);

    const confirmed = await t.http().post(`/admin/sync-connections/${connectionId}/confirm-deletions`).auth(admin, { type: 'bearer' });
    expect(confirmed.status).toBe(200);
    const run = await runNow();
    expect(run.status).toBe('succeeded');
    expect(run.stats.members.deleted).toBe(removed.length);
    expect(await liveSynced()).toBe(1198 - removed.length);
  });

  it('fails a run whose page keeps failing, without deleting anything or moving the watermark, and recovers', async () => {
    const connection = (await t.http().get(`/admin/sync-connections/${connectionId}`).auth(admin, { type: 'bearer' })).body;
    const live = await liveSynced();
    upstream.faults.failPage(2, { endpoint: 'Users', times: 'always' });
    const failed = await runNow();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/answered 500/);
    expect(await liveSynced()).toBe(live);
    const after = (await t.http().get(`/admin/sync-connections/${connectionId}`).auth(admin, { type: 'bearer' })).body;
    expect(after.watermark).toBe(connection.watermark);
    expect(after.consecutive_failures).toBe(1);

    upstream.faults.clear();
    const recovered = await runNow();
    expect(recovered.status).toBe('succeeded');
    expect(await liveSynced()).toBe(live);
  });

  it('rides out transient failures: a 500, a 429 with Retry-After, malformed JSON once, a dropped connection', async () => {
    upstream.faults.serverError({ endpoint: 'Users', times: 1 });
    upstream.faults.throttle({ endpoint: 'Groups', status: 429, retryAfterSeconds: 1, times: 1 });
    upstream.faults.dropConnection({ endpoint: 'Users', page: 2, times: 1 });
    const run = await runNow();
    expect(run).toMatchObject({ status: 'succeeded', error: null });
  });

  it('fetches a new token once when the upstream revokes it mid-run', async () => {
    const before = upstream.stats.tokensIssued;
    upstream.faults.revokeAllTokens();
    const run = await runNow();
    expect(run.status).toBe('succeeded');
    expect(upstream.stats.tokensIssued).toBe(before + 1);
  });

  it('states an invalid_client from the upstream plainly', async () => {
    upstream.faults.rejectTokenRequests({ times: 1 });
    upstream.faults.revokeAllTokens();
    const run = await runNow();
    expect(run.status).toBe('failed');
    expect(run.error).toContain('invalid_client');
    upstream.faults.clear();
  });

  it('runs a manual run asked for while another was running right after it, not an interval later', async () => {
    upstream.faults.hang({ endpoint: 'Users', times: 1 });
    const first = await t.http().post(`/admin/sync-connections/${connectionId}/runs`).auth(admin, { type: 'bearer' });
    // While the first run waits on the hanging upstream, ask again: a second run is queued behind it.
    let second = await t.http().post(`/admin/sync-connections/${connectionId}/runs`).auth(admin, { type: 'bearer' });
    for (let i = 0; i < 50 && second.body.id === first.body.id; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      second = await t.http().post(`/admin/sync-connections/${connectionId}/runs`).auth(admin, { type: 'bearer' });
    }
    expect(second.body.id).not.toBe(first.body.id);
    await t.app.get(SyncScheduler).idle();
    const state = (await t.http().get(`/admin/sync-connections/${connectionId}`).auth(admin, { type: 'bearer' })).body;
    expect(Date.parse(state.next_run_at)).toBeLessThanOrEqual(Date.now());
    await t.app.get(SyncScheduler).tick();
    await t.app.get(SyncScheduler).idle();
    const run = (await t.http().get(`/admin/sync-runs/${second.body.id}`).auth(admin, { type: 'bearer' })).body as Run;
    expect(run.status).toBe('succeeded');
  });

  it('lets the partner read its organization’s runs', async () => {
    const token = await syncReadToken(t, admin, organizationId);
    const runs = (await t.http().get('/api/v1/sync/runs?limit=100').auth(token, { type: 'bearer' })).body.data as Run[];
    expect(runs.length).toBeGreaterThanOrEqual(9);
    expect(runs.map((run) => run.status)).toContain('failed');
  });
});

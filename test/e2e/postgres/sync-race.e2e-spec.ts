import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type ScimUpstream, startScimUpstream } from '../../../examples/scim-upstream/scim-upstream.js';
import { MemberEntity } from '../../../src/resources/members/member.entity.js';
import { SyncConnectionEntity } from '../../../src/sync/connections/sync-connection.entity.js';
import { SyncClaimsRepository } from '../../../src/sync/engine/sync-claims.repository.js';
import { SyncScheduler } from '../../../src/sync/engine/sync.scheduler.js';
import { SyncRunEntity } from '../../../src/sync/runs/sync-run.entity.js';
import { adminToken, createOrganization } from '../../support/factories.js';
import { createSyncConnection } from '../../support/sync-factories.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const ROUNDS = 20;

/**
 * PostgreSQL only (jest.config.js runs test/e2e/postgres/ when TEST_DATABASE_URL
 * is set): two replicas on one database, whose scheduling passes start at the
 * same moment, over and over, for one due connection. Both see it due; the
 * conditional UPDATE of SyncClaimsRepository lets exactly one of them claim it.
 */
describe('two workers racing for one sync connection', () => {
  const secretsKey = randomBytes(32).toString('hex');
  let database: TestDatabase;
  let upstream: ScimUpstream;
  let workers: TestApp[] = [];
  let connectionId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    upstream = await startScimUpstream({ users: 300, groups: 5, membersPerGroup: 20, maxResults: 100 });
    // The schedulers' own intervals never fire during the test: every pass below is started by hand, on both at once.
    // One issuer for both, as replicas behind one URL have: a token from either is good at either.
    const env = { SECRETS_KEY: secretsKey, ISSUER: 'https://orgsync.test', SYNC_POLL_INTERVAL_MS: '600000' };
    // One after the other: the first runs the migrations.
    workers.push(await startTestApp(env, database));
    workers.push(await startTestApp(env, database));
    const admin = await adminToken(workers[0]!);
    const organization = await createOrganization(workers[0]!, admin, 'Raced Org');
    connectionId = (
      await createSyncConnection(workers[0]!, admin, organization.id, {
        base_url: upstream.baseUrl,
        token_url: upstream.tokenUrl,
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        interval_seconds: 3600,
      })
    ).id;
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    workers = [];
    await upstream?.close();
    await database?.drop();
  });

  it('lets exactly one of them run it each time, never both at once, and writes every member once', async () => {
    const dataSource = workers[0]!.app.get(DataSource);
    const connections = dataSource.getRepository(SyncConnectionEntity);
    const runs = dataSource.getRepository(SyncRunEntity);
    const schedulers = workers.map((worker) => worker.app.get(SyncScheduler));
    const tokenBefore = (await connections.findOneByOrFail({ id: connectionId })).leaseToken;

    for (let round = 1; round <= ROUNDS; round++) {
      await workers[0]!.app.get(SyncClaimsRepository).makeDue(connectionId, new Date());
      await Promise.all(schedulers.map((scheduler) => scheduler.tick()));
      await Promise.all(schedulers.map((scheduler) => scheduler.idle()));
      // One claim, one run, per round: a second claim would have bumped the fencing token or queued a second run.
      expect(await runs.countBy({ connectionId })).toBe(round);
      expect((await connections.findOneByOrFail({ id: connectionId })).leaseToken).toBe(tokenBefore + round);
    }

    const history = await runs.find({ where: { connectionId }, order: { startedAt: 'ASC' } });
    expect(history.map((run) => [run.trigger, run.status, run.error])).toEqual(history.map(() => ['schedule', 'succeeded', null]));
    for (let i = 1; i < history.length; i++) {
      expect(history[i - 1]!.finishedAt!.getTime()).toBeLessThanOrEqual(history[i]!.startedAt!.getTime());
    }

    const connection = await connections.findOneByOrFail({ id: connectionId });
    expect(connection).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, consecutiveFailures: 0 });
    const members = await dataSource
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .select('m.external_id', 'externalId')
      .addSelect('COUNT(*)', 'rows')
      .where('m.source = :connectionId', { connectionId })
      .groupBy('m.external_id')
      .getRawMany<{ externalId: string; rows: string }>();
    expect(members.map((m) => m.externalId).sort()).toEqual(
      upstream.directory
        .listUsers()
        .map((user) => user.id)
        .sort(),
    );
    expect(members.filter((m) => Number(m.rows) !== 1)).toEqual([]);
  }, 120_000);
});

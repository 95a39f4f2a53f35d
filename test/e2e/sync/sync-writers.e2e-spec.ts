import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { GroupMembershipEntity } from '../../../src/resources/groups/group-membership.entity.js';
import { GroupEntity } from '../../../src/resources/groups/group.entity.js';
import { MemberEntity } from '../../../src/resources/members/member.entity.js';
import type { UpstreamGroup, UpstreamUser } from '../../../src/sync/connectors/sync-connector.js';
import { GroupSyncWriter } from '../../../src/sync/engine/group-sync-writer.js';
import { MemberSyncWriter } from '../../../src/sync/engine/member-sync-writer.js';
import { SyncDeletions } from '../../../src/sync/engine/sync-deletions.js';
import { emptyStats, type StreamCounts } from '../../../src/sync/runs/sync-run.entity.js';
import { adminToken, createOrganization } from '../../support/factories.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { HOSTILE_VALUES, upstreamGroup, upstreamUser, upstreamUsers } from './sync-writer-fixtures.js';

/**
 * The sync writers against the real database (SQLite, or PostgreSQL with
 * TEST_DATABASE_URL): what a page write creates, changes and leaves alone,
 * the counts it reports, and pages larger than one statement's chunk of rows.
 */
describe('the sync writers', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let admin: string;
  /** Each test writes into an organization of its own: emails are unique per organization. */
  let organizationId: string;
  const newOrganization = async () => {
    organizationId = (await createOrganization(t, admin, 'Writers Org')).id;
  };

  beforeAll(async () => {
    t = await startTestApp({ SYNC_ENABLED: 'false' });
    dataSource = t.app.get(DataSource);
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  async function writeUsers(
    connectionId: string,
    users: readonly UpstreamUser[],
    runId = uuidv7(),
    now = new Date(),
  ): Promise<StreamCounts> {
    const counts = emptyStats().members;
    await dataSource.transaction((manager) =>
      t.app.get(MemberSyncWriter).writePage(manager, { organizationId, connectionId, runId }, users, now, counts),
    );
    return counts;
  }

  async function writeGroups(connectionId: string, groups: readonly UpstreamGroup[], runId = uuidv7()): Promise<StreamCounts> {
    const counts = emptyStats().groups;
    await dataSource.transaction((manager) =>
      t.app.get(GroupSyncWriter).writePage(manager, { organizationId, connectionId, runId }, groups, new Date(), counts),
    );
    return counts;
  }

  const members = (source: string) => dataSource.getRepository(MemberEntity).find({ where: { source }, order: { externalId: 'ASC' } });
  const member = (source: string, externalId: string) => dataSource.getRepository(MemberEntity).findOneByOrFail({ source, externalId });
  const group = (source: string, externalId: string) => dataSource.getRepository(GroupEntity).findOneByOrFail({ source, externalId });
  const memberIdsOf = async (groupId: string) =>
    (await dataSource.getRepository(GroupMembershipEntity).findBy({ groupId })).map((row) => row.memberId).sort();

  describe('members', () => {
    beforeEach(newOrganization);

    it('creates new members at version 1, mapped, seen by the run, and counts them', async () => {
      const connectionId = uuidv7();
      const runId = uuidv7();
      const now = new Date('2026-02-03T04:05:06.789Z');
      const counts = await writeUsers(connectionId, [upstreamUser(1, { email: 'Mixed.Case@Example.TEST', active: false })], runId, now);
      expect(counts).toEqual({ fetched: 1, created: 1, updated: 0, unchanged: 0, deleted: 0 });
      expect(await member(connectionId, 'ext-1')).toMatchObject({
        organizationId,
        userName: 'user-1',
        email: 'Mixed.Case@Example.TEST',
        emailNormalized: 'mixed.case@example.test',
        familyName: 'Family 1',
        active: false,
        version: 1,
        syncSeenRun: runId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
    });

    it('bumps the version only of members that changed, and marks the unchanged ones as seen without touching them', async () => {
      const connectionId = uuidv7();
      await writeUsers(connectionId, upstreamUsers(3));
      const before = await member(connectionId, 'ext-2');
      const runId = uuidv7();
      const now = new Date(Date.now() + 60_000);
      const changed = [upstreamUser(1, { title: 'Boss' }), upstreamUser(2), upstreamUser(3, { email: null })];
      expect(await writeUsers(connectionId, changed, runId, now)).toEqual({ fetched: 3, created: 0, updated: 2, unchanged: 1, deleted: 0 });
      expect(await member(connectionId, 'ext-1')).toMatchObject({ title: 'Boss', version: 2, syncSeenRun: runId, updatedAt: now });
      expect(await member(connectionId, 'ext-3')).toMatchObject({ email: null, emailNormalized: null, version: 2 });
      const unchanged = await member(connectionId, 'ext-2');
      expect(unchanged).toMatchObject({ version: 1, syncSeenRun: runId, updatedAt: before.updatedAt });
    });

    it('writes nothing new for a page written twice, and counts every copy of a repeated record as fetched', async () => {
      const connectionId = uuidv7();
      const page = [upstreamUser(1), upstreamUser(2, { title: 'Old' }), upstreamUser(2, { title: 'New' })];
      expect(await writeUsers(connectionId, page)).toMatchObject({ fetched: 3, created: 2 });
      expect((await member(connectionId, 'ext-2')).title).toBe('New');
      expect(await writeUsers(connectionId, page)).toMatchObject({ fetched: 3, created: 0, updated: 0, unchanged: 2 });
      expect((await members(connectionId)).map((m) => m.version)).toEqual([1, 1]);
    });

    it('revives a tombstone with a new version', async () => {
      const connectionId = uuidv7();
      await writeUsers(connectionId, [upstreamUser(1)]);
      await dataSource.getRepository(MemberEntity).update({ source: connectionId }, { deletedAt: new Date(), version: 2 });
      expect(await writeUsers(connectionId, [upstreamUser(1)])).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
      expect(await member(connectionId, 'ext-1')).toMatchObject({ deletedAt: null, version: 3 });
    });

    it('never touches members created through the API or synced by another connection, even with the same external ID', async () => {
      const connectionId = uuidv7();
      const otherConnection = uuidv7();
      const apiMember = Object.assign(new MemberEntity(), {
        ...upstreamUser('api'),
        id: uuidv7(),
        organizationId,
        externalId: 'ext-shared',
        email: null,
        emailNormalized: null,
        source: 'api',
        version: 1,
        syncSeenRun: null,
        createdAt: new Date(),
        updatedAt: new Date(),
        deletedAt: null,
      });
      await dataSource.getRepository(MemberEntity).insert(apiMember);
      await writeUsers(otherConnection, [upstreamUser('shared', { email: null, title: 'Other' })]);
      const counts = await writeUsers(connectionId, [upstreamUser('shared', { email: null, title: 'Mine' })]);
      expect(counts).toMatchObject({ created: 1, updated: 0 });
      expect(await dataSource.getRepository(MemberEntity).findOneByOrFail({ id: apiMember.id })).toMatchObject({
        source: 'api',
        title: 'Engineer',
        version: 1,
        syncSeenRun: null,
      });
      expect(await member(otherConnection, 'ext-shared')).toMatchObject({ title: 'Other', version: 1 });
      expect(await member(connectionId, 'ext-shared')).toMatchObject({ title: 'Mine', version: 1 });
      // Instants are stored as TypeORM stores them, so SQL comparisons and ordering mix both kinds of rows.
      const rawUpdatedAt = async (source: string) =>
        (
          await dataSource
            .createQueryBuilder()
            .select('m.updated_at', 'updated_at')
            .from(MemberEntity, 'm')
            .where('m.external_id = :externalId AND m.source = :source', { externalId: 'ext-shared', source })
            .getRawOne<{ updated_at: unknown }>()
        )?.updated_at;
      const shape = (value: unknown) => (value instanceof Date ? 'Date' : String(value).replace(/\d/g, '9'));
      expect(shape(await rawUpdatedAt(connectionId))).toBe(shape(await rawUpdatedAt('api')));
    });

    it('writes pages larger than one statement and counts across the chunk boundaries', async () => {
      const connectionId = uuidv7();
      expect(await writeUsers(connectionId, upstreamUsers(1100))).toMatchObject({ fetched: 1100, created: 1100 });
      const page = upstreamUsers(1100).map((user, i) => (i % 3 === 0 ? { ...user, department: 'Ops' } : user));
      expect(await writeUsers(connectionId, page)).toMatchObject({ fetched: 1100, created: 0, updated: 367, unchanged: 733 });
      const stored = await members(connectionId);
      expect(stored).toHaveLength(1100);
      expect(stored.filter((m) => m.version === 2).every((m) => m.department === 'Ops')).toBe(true);
      expect(stored.filter((m) => m.version === 2)).toHaveLength(367);
    });

    it('stores hostile values exactly as the upstream sent them, and sees them as unchanged the next time', async () => {
      const connectionId = uuidv7();
      const users = HOSTILE_VALUES.map((value, i) =>
        upstreamUser(i, { externalId: `${value.slice(0, 200)}#${i}`, userName: value, displayName: value, title: value, email: null }),
      );
      expect(await writeUsers(connectionId, users)).toMatchObject({ created: HOSTILE_VALUES.length });
      for (const user of users) {
        expect(await member(connectionId, user.externalId)).toMatchObject({ userName: user.userName, title: user.title, version: 1 });
      }
      expect(await writeUsers(connectionId, users)).toMatchObject({ created: 0, updated: 0, unchanged: HOSTILE_VALUES.length });
    });
  });

  describe('groups', () => {
    const connectionId = uuidv7();

    beforeAll(async () => {
      await newOrganization();
      await writeUsers(connectionId, upstreamUsers(1100));
    });

    it('creates groups with their live members, ignoring members the connection does not have', async () => {
      const everyone = upstreamUsers(1100).map((user) => user.externalId);
      const groups = [upstreamGroup('big', everyone), upstreamGroup('small', ['ext-1', 'ext-2', 'ext-unknown'])];
      expect(await writeGroups(connectionId, groups)).toEqual({ fetched: 2, created: 2, updated: 0, unchanged: 0, deleted: 0 });
      const big = await group(connectionId, 'big');
      expect(big).toMatchObject({ organizationId, displayName: 'Group big', version: 1, deletedAt: null });
      expect(await memberIdsOf(big.id)).toHaveLength(1100);
      const small = await group(connectionId, 'small');
      expect(await memberIdsOf(small.id)).toEqual(
        [(await member(connectionId, 'ext-1')).id, (await member(connectionId, 'ext-2')).id].sort(),
      );
    });

    it('leaves unchanged groups alone, and writes only the membership difference of the changed ones', async () => {
      const everyone = upstreamUsers(1100).map((user) => user.externalId);
      const before = await group(connectionId, 'big');
      const runId = uuidv7();
      const groups = [upstreamGroup('big', [...everyone].reverse()), upstreamGroup('small', ['ext-2', 'ext-3'])];
      expect(await writeGroups(connectionId, groups, runId)).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
      expect(await group(connectionId, 'big')).toMatchObject({ version: 1, syncSeenRun: runId, updatedAt: before.updatedAt });
      const small = await group(connectionId, 'small');
      expect(small).toMatchObject({ version: 2, syncSeenRun: runId });
      expect(await memberIdsOf(small.id)).toEqual(
        [(await member(connectionId, 'ext-2')).id, (await member(connectionId, 'ext-3')).id].sort(),
      );
    });

    it('gives a renamed group a new version, and drops members who are no longer live', async () => {
      await dataSource.getRepository(MemberEntity).update({ source: connectionId, externalId: 'ext-3' }, { deletedAt: new Date() });
      const counts = await writeGroups(connectionId, [upstreamGroup('small', ['ext-2', 'ext-3'], HOSTILE_VALUES[0])]);
      expect(counts).toMatchObject({ updated: 1 });
      const small = await group(connectionId, 'small');
      expect(small).toMatchObject({ displayName: HOSTILE_VALUES[0], version: 3 });
      expect(await memberIdsOf(small.id)).toEqual([(await member(connectionId, 'ext-2')).id]);
    });

    it('revives a deleted group with its members', async () => {
      const small = await group(connectionId, 'small');
      await dataSource.getRepository(GroupMembershipEntity).delete({ groupId: small.id });
      await dataSource.getRepository(GroupEntity).update({ id: small.id }, { deletedAt: new Date(), version: 4 });
      expect(await writeGroups(connectionId, [upstreamGroup('small', ['ext-2'], HOSTILE_VALUES[0])])).toMatchObject({ updated: 1 });
      expect(await group(connectionId, 'small')).toMatchObject({ id: small.id, deletedAt: null, version: 5 });
      expect(await memberIdsOf(small.id)).toHaveLength(1);
    });

    it('never touches an API group with the same external ID, nor its members', async () => {
      const apiGroup = Object.assign(new GroupEntity(), {
        id: uuidv7(),
        organizationId,
        externalId: 'small',
        displayName: 'Hand-made',
        source: 'api',
        version: 1,
        syncSeenRun: null,
        createdAt: new Date(),
        updatedAt: new Date(),
        deletedAt: null,
      });
      await dataSource.getRepository(GroupEntity).insert(apiGroup);
      const memberId = (await member(connectionId, 'ext-9')).id;
      await dataSource.getRepository(GroupMembershipEntity).insert({ groupId: apiGroup.id, memberId, organizationId });
      await writeGroups(connectionId, [upstreamGroup('small', ['ext-1'], 'Synced')]);
      expect(await dataSource.getRepository(GroupEntity).findOneByOrFail({ id: apiGroup.id })).toMatchObject({
        displayName: 'Hand-made',
        version: 1,
      });
      expect(await memberIdsOf(apiGroup.id)).toEqual([memberId]);
    });
  });

  describe('deletions', () => {
    beforeEach(newOrganization);

    it('counts the live and the unseen records of a connection after a listing', async () => {
      const connectionId = uuidv7();
      const runId = uuidv7();
      await writeUsers(connectionId, upstreamUsers(5));
      await writeUsers(connectionId, upstreamUsers(3), runId);
      await writeGroups(connectionId, [upstreamGroup('g', ['ext-1'])], runId);
      const plan = await t.app.get(SyncDeletions).plan(dataSource.manager, connectionId, runId);
      expect(plan).toEqual({ members: { live: 5, unseen: 2 }, groups: { live: 1, unseen: 0 } });
    });
  });
});

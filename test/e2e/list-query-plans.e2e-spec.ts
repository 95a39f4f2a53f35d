import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { GroupMembershipEntity } from '../../src/resources/groups/group-membership.entity.js';
import { GroupMembershipsRepository } from '../../src/resources/groups/group-memberships.repository.js';
import { type GroupListFilters, GroupsRepository } from '../../src/resources/groups/groups.repository.js';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { type MemberListFilters, MembersRepository } from '../../src/resources/members/members.repository.js';
import { GroupEntity } from '../../src/resources/groups/group.entity.js';
import { BatchedRowReads } from '../../src/resources/shared/batched-row-reads.js';
import { organizationToken } from '../support/factories.js';
import { memberRow } from '../support/member-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A list page must cost the same over 100 records as over 100,000: the plan
 * walks the (organization_id, id) index from the cursor and stops at the
 * limit, with no sort and no scan of other organizations' rows. A filter
 * narrows the walk through an index of its own, (organization_id, <column>,
 * id), rather than being checked row by row over the whole organization. The
 * figures themselves belong to the benchmark; this checks the plans on both
 * databases, for every filter the list endpoints accept.
 */
describe('list queries are served from the (organization_id, id) index', () => {
  let t: TestApp;
  let organizationId: string;
  let groupId: string;
  let dataSource: DataSource;
  const postgres = () => dataSource.options.type === 'postgres';

  beforeAll(async () => {
    t = await startTestApp();
    dataSource = t.app.get(DataSource);
    const other = await organizationToken(t, undefined, 'Neighbour');
    ({ organizationId } = await organizationToken(t));
    // A small organization beside a large one, their IDs interleaved: a plan that scanned all rows in id order
    // and filtered by organization would read mostly the neighbour's rows.
    for (let chunk = 0; chunk < 10; chunk++) {
      for (const org of chunk % 5 === 0 ? [organizationId, other.organizationId] : [other.organizationId]) {
        const now = new Date();
        const rows = Array.from({ length: org === organizationId ? 100 : 500 }, (_, i) =>
          memberRow(
            org,
            {
              userName: `u${chunk}-${i}`,
              email: `u${chunk}-${i}@example.com`,
              emailNormalized: `u${chunk}-${i}@example.com`,
              active: i % 10 !== 0,
            },
            now,
          ),
        );
        await dataSource.getRepository(MemberEntity).insert(rows);
        await dataSource.getRepository(GroupEntity).insert(
          rows
            .map((row) => ({ ...row, displayName: row.userName, id: uuidv7() }))
            .map(({ id, organizationId: o, displayName, source, version, createdAt, updatedAt, deletedAt }) => ({
              id,
              organizationId: o,
              externalId: `x-${displayName}`,
              displayName: displayName!,
              source,
              version,
              createdAt,
              updatedAt,
              deletedAt,
            })),
        );
        // One group of each organization holds all of its members of this chunk.
        const group = await dataSource.getRepository(GroupEntity).findOneByOrFail({ organizationId: org, displayName: `u${chunk}-0` });
        if (org === organizationId) groupId ??= group.id;
        const memberships = rows.map((row) => ({ groupId: group.id, memberId: row.id, organizationId: org }));
        await dataSource.getRepository(GroupMembershipEntity).insert(memberships);
      }
    }
    await dataSource.query('ANALYZE');
  });
  afterAll(() => t.close());

  async function plan(sql: string, parameters: unknown[]): Promise<string> {
    if (!postgres()) {
      const rows = (await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, parameters)) as Array<{ detail: string }>;
      return rows.map((row) => row.detail).join('\n');
    }
    // On a table this small PostgreSQL rightly prefers a bitmap scan and a sort of a few hundred rows; at scale it
    // walks the index. Taking the small-table shortcuts away asks the question that matters: can the index alone
    // serve the page in order?
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort']) await runner.query(`SET LOCAL ${setting} = off`);
      const rows = (await runner.query(`EXPLAIN ${sql}`, parameters)) as Array<{ 'QUERY PLAN': string }>;
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  const explain = <T extends object>(query: SelectQueryBuilder<T>) => plan(...query.getQueryAndParameters());

  /**
   * Every table is reached through an index search on its key (SQLite SEARCH;
   * PostgreSQL an index scan with an Index Cond), never a scan of the table or
   * of a whole index; `keyed` is in that key, so the filter narrows the search
   * rather than being checked row by row over the organization; and nothing is
   * sorted: the index gives the page in order.
   */
  function expectIndexedAndUnsorted(explained: string, keyed: string): void {
    expect(explained).not.toMatch(/TEMP B-TREE|Sort|Seq Scan|^SCAN /m);
    const scans = explained.match(/Index (Only )?Scan|^SEARCH /gm) ?? [];
    const keys = postgres()
      ? (explained.match(/Index Cond: .*/g) ?? [])
      : (explained.match(/^SEARCH .*/gm) ?? []).map((line) => line.replace(/^[^(]*/, ''));
    expect(keys).toHaveLength(scans.length);
    expect(keys.join('\n')).toMatch(new RegExp(`\\b${keyed}\\b\\)?(::\\w+)? ?= ?`));
  }

  it.each([
    ['members', () => t.app.get(MembersRepository).listQuery(organizationId, {}, 101), 'ix_members_organization_id'],
    ['groups', () => t.app.get(GroupsRepository).listQuery(organizationId, {}, 101), 'ix_groups_organization_id'],
  ])('walks the index for a page of %s, without sorting', async (_label, build, index) => {
    const [sql, parameters] = build().getQueryAndParameters();
    const explained = await plan(sql, parameters);
    expect(explained).toContain(index);
    expect(explained).not.toMatch(/TEMP B-TREE|Sort/);
  });

  const afterId = '00000000-0000-7000-8000-000000000000';
  const since = new Date(0);
  /** Each case with and without a cursor. */
  const paged = <F>(cases: Array<[string, F, string]>) =>
    cases.flatMap(([label, filters, keyed]) => [
      [label, filters, keyed, undefined],
      [`${label}, after a cursor`, filters, keyed, afterId],
    ]) as Array<[string, F, string, string | undefined]>;

  it.each(
    paged<MemberListFilters>([
      ['nothing', {}, 'organization_id'],
      ['include_deleted', { includeDeleted: true }, 'organization_id'],
      ['email', { email: 'U0-1@example.com' }, 'email_normalized'],
      ['active=true', { active: true }, 'active'],
      ['active=false', { active: false }, 'active'],
      ['email and active', { email: 'u0-1@example.com', active: true }, 'email_normalized'],
      ['email and include_deleted', { email: 'u0-1@example.com', includeDeleted: true }, 'email_normalized'],
      ['email and updated_since', { email: 'u0-1@example.com', updatedSince: since }, 'email_normalized'],
      ['active and include_deleted', { active: false, includeDeleted: true }, 'active'],
      // Every record has changed since: the walk stops at the page, where a sort would take in the whole organization.
      ['updated_since, matching every record', { updatedSince: since }, 'organization_id'],
    ]),
  )('serves a members page filtered by %s from an index, in order', async (_label, filters, keyed, cursor) => {
    expectIndexedAndUnsorted(await explain(t.app.get(MembersRepository).listQuery(organizationId, filters, 101, cursor)), keyed);
  });

  it.each(
    paged<GroupListFilters>([
      ['nothing', {}, 'organization_id'],
      ['include_deleted', { includeDeleted: true }, 'organization_id'],
      ['external_id', { externalId: 'x-u0-1' }, 'external_id'],
      ['display_name', { displayName: 'u0-1' }, 'display_name'],
      ['external_id and display_name', { externalId: 'x-u0-1', displayName: 'u0-1' }, '(external_id|display_name)'],
      ['external_id and updated_since', { externalId: 'x-u0-1', updatedSince: since }, 'external_id'],
      ['display_name and updated_since', { displayName: 'u0-1', updatedSince: since }, 'display_name'],
      ['display_name and include_deleted', { displayName: 'u0-1', includeDeleted: true }, 'display_name'],
      ['updated_since, matching every record', { updatedSince: since }, 'organization_id'],
    ]),
  )('serves a groups page filtered by %s from an index, in order', async (_label, filters, keyed, cursor) => {
    expectIndexedAndUnsorted(await explain(t.app.get(GroupsRepository).listQuery(organizationId, filters, 101, cursor)), keyed);
  });

  // SQLite only: PostgreSQL's plan here is its cost model's call (with sorts allowed); SQLite decides from
  // sqlite_stat4's samples, which this checks are there and used.
  const itOnSqlite = process.env.TEST_DATABASE_URL ? () => undefined : it;
  itOnSqlite('takes the few records changed since a recent instant from (organization_id, updated_at), sorting only those', async () => {
    const recent = new Date(Date.now() + 60_000);
    const explained = await explain(t.app.get(MembersRepository).listQuery(organizationId, { updatedSince: recent }, 101));
    expect(explained).toMatch(/^SEARCH m USING INDEX ix_members_organization_updated \(organization_id=\? AND updated_at>\?\)/m);
  });

  it.each([
    ['first page', undefined],
    ['page after a cursor', afterId],
  ])("serves a group's members, %s, from the membership key in member order", async (_label, cursor) => {
    const explained = await explain(t.app.get(GroupMembershipsRepository).liveMembersQuery(organizationId, groupId, 101, cursor));
    expectIndexedAndUnsorted(explained, 'group_id');
  });

  it.each([
    ['members', MemberEntity],
    ['groups', GroupEntity],
  ] as const)('reaches each of %s read by id in one batch through its key, never a scan', async (table, entity) => {
    const batch = new BatchedRowReads<MemberEntity | GroupEntity>(dataSource, entity, 'deleted_at IS NULL');
    const pairs = [
      [organizationId, uuidv7()],
      [organizationId, uuidv7()],
    ];
    const parameters = postgres() ? [pairs.map(([o]) => o), pairs.map(([, id]) => id)] : [JSON.stringify(pairs)];
    const explained = await plan(batch.sql, parameters);
    expect(explained).not.toMatch(new RegExp(`Seq Scan on ${table}|^SCAN ${table}`, 'm'));
    // One index search per pair, on the record's id: the primary key, or (organization_id, id).
    expect(explained).toMatch(
      postgres()
        ? new RegExp(`Index Scan using \\S+ on ${table} .*\\n\\s+Index Cond: \\(\\(id\\)`)
        : new RegExp(`^SEARCH ${table} USING .*\\bid=\\?`, 'm'),
    );
  });
});

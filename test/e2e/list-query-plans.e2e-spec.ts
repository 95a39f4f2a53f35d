import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { GroupsRepository } from '../../src/resources/groups/groups.repository.js';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { MembersRepository } from '../../src/resources/members/members.repository.js';
import { GroupEntity } from '../../src/resources/groups/group.entity.js';
import { organizationToken } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A list page must cost the same over 100 records as over 100,000: the plan
 * walks the (organization_id, id) index from the cursor and stops at the
 * limit, with no sort and no scan of other organizations' rows. The figures
 * themselves belong to the benchmark; this checks the plan on both databases.
 */
describe('list queries are served from the (organization_id, id) index', () => {
  let t: TestApp;
  let organizationId: string;
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
        const rows = Array.from({ length: org === organizationId ? 100 : 500 }, (_, i) => ({
          id: uuidv7(),
          organizationId: org,
          externalId: null,
          userName: `u${chunk}-${i}`,
          email: null,
          emailNormalized: null,
          displayName: null,
          givenName: null,
          familyName: null,
          title: null,
          department: null,
          active: true,
          source: 'api',
          version: 1,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        }));
        await dataSource.getRepository(MemberEntity).insert(rows);
        await dataSource.getRepository(GroupEntity).insert(
          rows
            .map((row) => ({ ...row, displayName: row.userName, id: uuidv7() }))
            .map(({ id, organizationId: o, externalId, displayName, source, version, createdAt, updatedAt, deletedAt }) => ({
              id,
              organizationId: o,
              externalId,
              displayName: displayName!,
              source,
              version,
              createdAt,
              updatedAt,
              deletedAt,
            })),
        );
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

  it.each([
    ['members', () => t.app.get(MembersRepository).listQuery(organizationId, {}, 101), 'ix_members_organization_id'],
    ['groups', () => t.app.get(GroupsRepository).listQuery(organizationId, {}, 101), 'ix_groups_organization_id'],
  ])('walks the index for a page of %s, without sorting', async (_label, build, index) => {
    const [sql, parameters] = build().getQueryAndParameters();
    const explained = await plan(sql, parameters);
    expect(explained).toContain(index);
    expect(explained).not.toMatch(/TEMP B-TREE|Sort/);
  });
});

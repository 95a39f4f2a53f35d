import { jest } from '@jest/globals';
import { DataSource, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { GroupEntity } from '../../src/resources/groups/group.entity.js';
import { GroupsRepository } from '../../src/resources/groups/groups.repository.js';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { MembersRepository } from '../../src/resources/members/members.repository.js';
import { SqliteDirectRead } from '../../src/resources/shared/sqlite-direct-read.js';
import { organizationToken } from '../support/factories.js';
import { memberRow } from '../support/member-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * GET /members/:id reads through a statement written once instead of
 * findOneBy, and the reads of one event-loop turn share one statement
 * (batched-row-reads.ts): the entity must be exactly the one TypeORM would
 * have built, every column converted alike (dates, booleans, nulls), on SQLite
 * and PostgreSQL, and the organization and tombstone conditions must still
 * hold for every read of a batch.
 */
describe('the single-member read', () => {
  let t: TestApp;
  let token: string;
  let organizationId: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ token, organizationId } = await organizationToken(t));
  });
  afterAll(() => t.close());

  async function created(fields: Record<string, unknown>): Promise<string> {
    const response = await t.http().post('/api/v1/members').auth(token, { type: 'bearer' }).send(fields);
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const viaTypeOrm = (id: string) =>
    t.app.get(DataSource).getRepository(MemberEntity).findOneBy({ organizationId, id, deletedAt: IsNull() });

  it('returns the entity findOneBy returns, column for column', async () => {
    const full = await created({
      user_name: 'full.member',
      email: 'Full.Member@Example.com',
      display_name: 'Full Member',
      given_name: 'Full',
      family_name: 'Member',
      title: 'Engineer',
      department: 'R&D',
      active: false,
      external_id: 'ext-1',
    });
    const sparse = await created({ user_name: 'sparse.member' });
    const members = t.app.get(MembersRepository);

    for (const id of [full, sparse]) {
      const read = await members.findLive(organizationId, id);
      expect(read).toBeInstanceOf(MemberEntity);
      expect(read).toEqual(await viaTypeOrm(id));
    }
    expect((await members.findLive(organizationId, full))?.active).toBe(false);
    expect((await members.findLive(organizationId, full))?.createdAt).toBeInstanceOf(Date);
  });

  it('finds nothing in another organization, after a delete, or for an ID that is no UUID', async () => {
    const id = await created({ user_name: 'short.lived' });
    const members = t.app.get(MembersRepository);

    expect(await members.findLive('00000000-0000-7000-8000-000000000000', id)).toBeNull();
    expect(await members.findLive(organizationId, 'not-a-uuid')).toBeNull();
    expect((await t.http().delete(`/api/v1/members/${id}`).auth(token, { type: 'bearer' })).status).toBe(204);
    expect(await members.findLive(organizationId, id)).toBeNull();
  });

  /** Statements that read a batch: on SQLite straight from the connection, otherwise through TypeORM. */
  function countBatchStatements(): () => number {
    const dataSource = t.app.get(DataSource);
    const query = jest.spyOn(dataSource, 'query');
    const direct = jest.spyOn(SqliteDirectRead.prototype, 'allRows');
    const isBatch = (sql: unknown) => typeof sql === 'string' && /json_each|unnest/.test(sql);
    return () => {
      const count =
        query.mock.calls.filter(([sql]) => isBatch(sql)).length + direct.mock.results.filter((result) => result.value !== undefined).length;
      query.mockRestore();
      direct.mockRestore();
      return count;
    };
  }

  it("answers each read of a turn from one statement, with its own organization's record only", async () => {
    const neighbour = await organizationToken(t, undefined, 'Neighbour');
    const ours = await created({ user_name: 'ours' });
    const theirs = (await t.http().post('/api/v1/members').auth(neighbour.token, { type: 'bearer' }).send({ user_name: 'theirs' })).body
      .id as string;
    const gone = await created({ user_name: 'gone' });
    expect((await t.http().delete(`/api/v1/members/${gone}`).auth(token, { type: 'bearer' })).status).toBe(204);
    const members = t.app.get(MembersRepository);

    const statements = countBatchStatements();
    const reads = await Promise.all([
      members.findLive(organizationId, ours),
      members.findLive(neighbour.organizationId, theirs),
      // Each organization asking for the other's member, in the same batch as the owner's own read.
      members.findLive(organizationId, theirs),
      members.findLive(neighbour.organizationId, ours),
      members.findLive(organizationId, gone),
      members.findLive(organizationId, uuidv7()),
      members.findLive(organizationId, ours),
    ]);

    expect(statements()).toBe(1);
    expect(reads.map((member) => member && [member.organizationId, member.userName])).toEqual([
      [organizationId, 'ours'],
      [neighbour.organizationId, 'theirs'],
      null,
      null,
      null,
      null,
      [organizationId, 'ours'],
    ]);
    expect(reads[0]).toEqual(await viaTypeOrm(ours));
  });

  it("serves concurrent GET /members/:id over HTTP, each caller its own organization's member or a 404", async () => {
    const neighbour = await organizationToken(t, undefined, 'Neighbour');
    const ours = await Promise.all(Array.from({ length: 10 }, (_, i) => created({ user_name: `ours.${i}` })));
    const theirs = await t.http().post('/api/v1/members').auth(neighbour.token, { type: 'bearer' }).send({ user_name: 'theirs' });
    const get = (bearer: string, id: string) =>
      fetch(`${t.baseUrl}/api/v1/members/${id}`, { headers: { authorization: `Bearer ${bearer}` } }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
      }));

    const responses = await Promise.all([
      ...ours.map((id) => get(token, id)),
      get(neighbour.token, theirs.body.id as string),
      get(neighbour.token, ours[0]!),
      get(token, theirs.body.id as string),
    ]);

    expect(responses.slice(0, 10).map(({ status, body }) => [status, body.user_name])).toEqual(ours.map((_, i) => [200, `ours.${i}`]));
    expect([responses[10]!.status, responses[10]!.body.user_name]).toEqual([200, 'theirs']);
    for (const refused of responses.slice(11)) expect(refused).toMatchObject({ status: 404, body: { status: 404 } });
  });

  it('under concurrent load from two organizations, answers every read with the member it named, or a 404 across organizations', async () => {
    const neighbour = await organizationToken(t, undefined, 'Neighbour');
    const dataSource = t.app.get(DataSource);
    const rows = [
      ...Array.from({ length: 30 }, (_, i) => memberRow(organizationId, { userName: `load.ours.${i}` })),
      ...Array.from({ length: 30 }, (_, i) => memberRow(neighbour.organizationId, { userName: `load.theirs.${i}` })),
    ];
    await dataSource.getRepository(MemberEntity).insert(rows);
    const callers = [
      { token, organizationId },
      { token: neighbour.token, organizationId: neighbour.organizationId },
    ];
    const statements = countBatchStatements();

    // 10 pairs of callers at once, one caller of each organization in a pair, 25 steps each: at each step both callers
    // of a pair ask for the same member at the same moment, so one organization's read of a member often shares a
    // batch with the other's read of it (which must be a 404).
    const read = async (caller: (typeof callers)[number], asked: MemberEntity) => {
      const response = await fetch(`${t.baseUrl}/api/v1/members/${asked.id}`, { headers: { authorization: `Bearer ${caller.token}` } });
      return { asked, caller: caller.organizationId, status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, async (_, pair) => {
        const seen: Array<Awaited<ReturnType<typeof read>>> = [];
        for (let step = 0; step < 25; step++) {
          const asked = rows[(pair * 7 + step * 13) % rows.length]!;
          seen.push(...(await Promise.all(callers.map((caller) => read(caller, asked)))));
        }
        return seen;
      }),
    );

    const reads = outcomes.flat();
    expect(statements()).toBeLessThan(reads.length);
    for (const { asked, status, body, caller } of reads) {
      if (asked.organizationId === caller) expect([status, body.id, body.user_name]).toEqual([200, asked.id, asked.userName]);
      else expect([status, body.status]).toEqual([404, 404]);
    }
    // Both kinds were asked for many times.
    expect(reads.filter(({ asked, caller }) => asked.organizationId === caller).length).toBeGreaterThan(100);
    expect(reads.filter(({ asked, caller }) => asked.organizationId !== caller).length).toBeGreaterThan(100);
  });

  it("reads a transaction's own uncommitted member through the transaction, and the root manager still answers meanwhile", async () => {
    const dataSource = t.app.get(DataSource);
    const members = t.app.get(MembersRepository);
    const id = uuidv7();
    const outside: Array<MemberEntity | null> = [];
    const inside = await dataSource.transaction(async (manager) => {
      await manager.insert(MemberEntity, memberRow(organizationId, { id, userName: 'in.transaction' }));
      // A root-manager read from inside the transaction's own context: on SQLite it must not wait for a batch that
      // waits for the connection this transaction holds.
      const fromRoot = await members.findLive(organizationId, id);
      outside.push(fromRoot);
      return members.findLive(organizationId, id, manager);
    });

    expect(inside?.userName).toBe('in.transaction');
    // SQLite has one connection, shared by the transaction; PostgreSQL's root manager reads from another, committed state.
    expect(outside[0]?.userName ?? null).toBe(dataSource.options.type === 'postgres' ? null : 'in.transaction');
    expect((await members.findLive(organizationId, id))?.userName).toBe('in.transaction');
  });
});

describe('the single-group read', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("answers each read of a turn with its own organization's group only, column for column as findOneBy", async () => {
    const ours = await organizationToken(t);
    const neighbour = await organizationToken(t, undefined, 'Neighbour');
    const create = async (bearer: string, name: string) =>
      (await t.http().post('/api/v1/groups').auth(bearer, { type: 'bearer' }).send({ display_name: name })).body.id as string;
    const ourGroup = await create(ours.token, 'Ours');
    const theirGroup = await create(neighbour.token, 'Theirs');
    const groups = t.app.get(GroupsRepository);

    const reads = await Promise.all([
      groups.findLive(ours.organizationId, ourGroup),
      groups.findLive(neighbour.organizationId, theirGroup),
      groups.findLive(ours.organizationId, theirGroup),
      groups.findLive(neighbour.organizationId, ourGroup),
    ]);

    const viaTypeOrm = (organizationId: string, id: string) =>
      t.app.get(DataSource).getRepository(GroupEntity).findOneBy({ organizationId, id, deletedAt: IsNull() });
    expect(reads[0]).toBeInstanceOf(GroupEntity);
    expect(reads[0]).toEqual(await viaTypeOrm(ours.organizationId, ourGroup));
    expect(reads[1]).toEqual(await viaTypeOrm(neighbour.organizationId, theirGroup));
    expect(reads.slice(2)).toEqual([null, null]);
  });
});

import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { GroupMembershipEntity } from '../../src/resources/groups/group-membership.entity.js';
import { GroupEntity } from '../../src/resources/groups/group.entity.js';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { expectProblem, obtainToken, organizationWithClient } from '../support/factories.js';
import { memberRow } from '../support/member-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Group {
  id: string;
  external_id: string | null;
  display_name: string;
  member_ids: string[];
  source: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

interface Member {
  id: string;
  user_name: string;
  [field: string]: unknown;
}

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

type Query = Record<string, string | number | boolean>;

const EVERY_SCOPE = 'org:read members:read members:write groups:read groups:write';
const GROUP_KEYS = ['created_at', 'deleted_at', 'display_name', 'external_id', 'id', 'member_ids', 'source', 'updated_at'];
const NOT_UUIDS = ['nope', '1', "1'%20OR%20'1'='1", 'x'.repeat(200), '01900000-0000-7000-8000-00000000000g'];
const UNKNOWN_MEMBER = 'member_ids[0] is not a live member of this organization';

/** A client of a new organization and tokens with the scopes a test needs. */
interface Tenant {
  organizationId: string;
  token(scope?: string): Promise<string>;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('groups API (/api/v1/groups)', () => {
  let t: TestApp;
  let tenant: Tenant;
  let token: string;
  let n = 0;

  async function newTenant(): Promise<Tenant> {
    const { organizationId, client } = await organizationWithClient(t, { scope: EVERY_SCOPE });
    return { organizationId, token: (scope = EVERY_SCOPE) => obtainToken(t, client.client_id, client.client_secret, scope) };
  }

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await newTenant();
    token = await tenant.token();
  });
  afterAll(() => t.close());

  const as = (bearer: string) => ({
    get: (path: string, query: Query = {}) => t.http().get(path).query(query).auth(bearer, { type: 'bearer' }),
    post: (path: string) => t.http().post(path).auth(bearer, { type: 'bearer' }),
    patch: (path: string) => t.http().patch(path).auth(bearer, { type: 'bearer' }),
    delete: (path: string) => t.http().delete(path).auth(bearer, { type: 'bearer' }),
  });
  const api = () => as(token);
  const unique = (prefix: string) => `${prefix}-${++n}-${Date.now()}`;

  async function createMember(bearer = token): Promise<Member> {
    const response = await as(bearer)
      .post('/api/v1/members')
      .send({ user_name: unique('user') });
    expect(response.status).toBe(201);
    return response.body as Member;
  }

  async function createGroup(fields: Record<string, unknown> = {}, bearer = token): Promise<Group> {
    const response = await as(bearer)
      .post('/api/v1/groups')
      .send({ display_name: unique('group'), ...fields });
    expect(response.status).toBe(201);
    return response.body as Group;
  }

  async function getGroup(id: string, bearer = token): Promise<{ group: Group; etag: string }> {
    const response = await as(bearer).get(`/api/v1/groups/${id}`);
    expect(response.status).toBe(200);
    return { group: response.body as Group, etag: response.headers['etag'] as string };
  }

  /** Every page of a list, following next_cursor; `between` runs after each page. */
  async function walk<T>(
    bearer: string,
    path: string,
    query: Query,
    between: (pageNumber: number) => Promise<void> = async () => {},
  ): Promise<T[][]> {
    const pages: T[][] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await as(bearer).get(path, cursor === null ? query : { ...query, cursor });
      expect(response.status).toBe(200);
      const page = response.body as Page<T>;
      pages.push(page.data);
      cursor = page.next_cursor;
      await between(pages.length);
      if (pages.length > 100) throw new Error('the walk does not end');
    } while (cursor !== null);
    return pages;
  }

  function expectFieldError(response: request.Response, field: string, message: string): void {
    const problem = expectProblem(response, 400, 'validation_failed');
    expect(problem.errors).toContainEqual({ field, message });
  }

  describe('create and read', () => {
    it('creates a group with every field, in snake_case, source "api", members in id order', async () => {
      const [a, b] = [await createMember(), await createMember()];
      const before = Date.now();
      const response = await api()
        .post('/api/v1/groups')
        .send({ display_name: 'Engineering', external_id: 'hr-eng', member_ids: [b.id, a.id] });

      expect(response.status).toBe(201);
      expect(response.headers['location']).toBe(`/api/v1/groups/${response.body.id}`);
      expect(response.headers['etag']).toBe('"v1"');
      const group = response.body as Group;
      expect(Object.keys(group).sort()).toEqual(GROUP_KEYS);
      expect(group).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        external_id: 'hr-eng',
        display_name: 'Engineering',
        member_ids: [a.id, b.id].sort(byId),
        source: 'api',
        created_at: group.updated_at,
        updated_at: expect.any(String),
        deleted_at: null,
      });
      expect(Date.parse(group.created_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(group.created_at)).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('creates a group without members or external ID', async () => {
      const group = await createGroup({ display_name: 'Nobody' });
      expect(group).toMatchObject({ display_name: 'Nobody', external_id: null, member_ids: [] });
    });

    it('reads a group exactly as created, with its ETag', async () => {
      const member = await createMember();
      const created = await createGroup({ member_ids: [member.id] });

      const response = await api().get(`/api/v1/groups/${created.id}`);

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"v1"');
      expect(response.body).toEqual(created);
    });

    it('lower-cases member IDs, as they are stored', async () => {
      const member = await createMember();
      const group = await createGroup({ member_ids: [member.id.toUpperCase()] });
      expect(group.member_ids).toEqual([member.id]);
    });

    it('accepts exactly 1000 members, and pages through them, 100 at a time unless asked otherwise', async () => {
      const dataSource = t.app.get(DataSource);
      const now = new Date();
      const members = Array.from({ length: 1000 }, (_, i) => memberRow(tenant.organizationId, { userName: `bulk-${i}` }, now));
      for (let i = 0; i < members.length; i += 100) await dataSource.getRepository(MemberEntity).insert(members.slice(i, i + 100));
      const ids = members.map((member) => member.id).sort(byId);

      const group = await createGroup({ member_ids: [...ids].reverse() });
      expect(group.member_ids).toEqual(ids);

      const pages = await walk<Member>(token, `/api/v1/groups/${group.id}/members`, { limit: 500 });
      expect(pages.map((page) => page.length)).toEqual([500, 500]);
      expect(pages.flat().map((member) => member.id)).toEqual(ids);
      const firstPage = (await api().get(`/api/v1/groups/${group.id}/members`)).body as Page<Member>;
      expect(firstPage.data.map((member) => member.id)).toEqual(ids.slice(0, 100));
      expect(firstPage.next_cursor).toEqual(expect.any(String));
    });
  });

  describe('validation', () => {
    it.each([
      ['no display_name', {}, 'display_name', 'display_name must be a string'],
      ['an empty display_name', { display_name: '' }, 'display_name', 'display_name must not be empty'],
      ['a display_name too long', { display_name: 'x'.repeat(256) }, 'display_name', 'display_name must be at most 255 characters'],
      ['control characters', { display_name: 'a\u0000b' }, 'display_name', 'display_name must not contain control characters'],
      ['an unknown field', { display_name: 'x', owner: 'me' }, 'owner', 'owner is not a known field'],
      ['member_ids not an array', { display_name: 'x', member_ids: 'abc' }, 'member_ids', 'member_ids must be an array of member IDs'],
      [
        'a member ID that is not a UUID',
        { display_name: 'x', member_ids: ['nope'] },
        'member_ids',
        'member_ids must contain member IDs (UUIDs) only',
      ],
      [
        'a member ID that is not a string',
        { display_name: 'x', member_ids: [42] },
        'member_ids',
        'member_ids must contain member IDs (UUIDs) only',
      ],
    ])('refuses a group with %s', async (_label, body, field, message) => {
      const response = await api().post('/api/v1/groups').send(body);
      expectFieldError(response, field, message);
    });

    it('refuses more than 1000 member IDs', async () => {
      const ids = Array.from({ length: 1001 }, () => randomUUID());
      expectFieldError(
        await api().post('/api/v1/groups').send({ display_name: 'x', member_ids: ids }),
        'member_ids',
        'member_ids must list at most 1000 members',
      );
    });

    it('refuses a member listed twice, also when only the letter case differs', async () => {
      const member = await createMember();
      for (const ids of [
        [member.id, member.id],
        [member.id, member.id.toUpperCase()],
      ]) {
        const response = await api().post('/api/v1/groups').send({ display_name: 'x', member_ids: ids });
        expectFieldError(response, 'member_ids', 'member_ids must not list a member twice');
      }
    });

    it("answers an unknown member ID and another organization's member ID alike, and creates nothing", async () => {
      const other = await newTenant();
      const foreignMember = await createMember(await other.token());
      const name = unique('refused');

      const unknown = await api()
        .post('/api/v1/groups')
        .send({ display_name: name, member_ids: [randomUUID()] });
      const foreign = await api()
        .post('/api/v1/groups')
        .send({ display_name: name, member_ids: [foreignMember.id] });

      const unknownProblem = expectProblem(unknown, 400, 'validation_failed');
      const foreignProblem = expectProblem(foreign, 400, 'validation_failed');
      expect(unknownProblem.errors).toEqual([{ field: 'member_ids', message: UNKNOWN_MEMBER }]);
      expect(foreignProblem.errors).toEqual(unknownProblem.errors);
      expect(foreignProblem.detail).toBe(unknownProblem.detail);
      expect(foreign.text).not.toContain(foreignMember.id);
      expect((await api().get('/api/v1/groups', { display_name: name })).body).toEqual({ data: [], next_cursor: null });
    });

    it('names the position of the first ID that is not a live member', async () => {
      const [live, deleted] = [await createMember(), await createMember()];
      expect((await api().delete(`/api/v1/members/${deleted.id}`)).status).toBe(204);

      const response = await api()
        .post('/api/v1/groups')
        .send({ display_name: 'x', member_ids: [live.id, deleted.id] });

      expectFieldError(response, 'member_ids', 'member_ids[1] is not a live member of this organization');
    });

    it('validates member_ids on PATCH the same way, and leaves the group as it was', async () => {
      const member = await createMember();
      const group = await createGroup({ member_ids: [member.id] });
      const other = await newTenant();
      const foreignMember = await createMember(await other.token());
      const path = `/api/v1/groups/${group.id}`;

      expectFieldError(
        await api()
          .patch(path)
          .send({ member_ids: [foreignMember.id] }),
        'member_ids',
        UNKNOWN_MEMBER,
      );
      expectFieldError(
        await api()
          .patch(path)
          .send({ member_ids: [randomUUID()] }),
        'member_ids',
        UNKNOWN_MEMBER,
      );
      expectFieldError(
        await api()
          .patch(path)
          .send({ member_ids: [member.id, member.id] }),
        'member_ids',
        'member_ids must not list a member twice',
      );
      expectFieldError(await api().patch(path).send({ member_ids: null }), 'member_ids', 'member_ids must be an array of member IDs');
      expectFieldError(await api().patch(path).send({ display_name: null }), 'display_name', 'display_name must be a string');
      expectFieldError(await api().patch(path).send({ source: 'conn-1' }), 'source', 'source is not a known field');

      expect(await getGroup(group.id)).toEqual({ group, etag: '"v1"' });
    });
  });

  describe('listing', () => {
    it('walks every group exactly once, in id order, with limit 2', async () => {
      const own = await newTenant();
      const bearer = await own.token();
      const groups: Group[] = [];
      for (let i = 0; i < 7; i++) groups.push(await createGroup({}, bearer));
      const ids = groups.map((group) => group.id).sort(byId);

      const pages = await walk<Group>(bearer, '/api/v1/groups', { limit: 2 });

      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
      expect(pages.flat().map((group) => group.id)).toEqual(ids);
      expect((await as(bearer).get('/api/v1/groups', { limit: 7 })).body.next_cursor).toBeNull();
      expect((await as(bearer).get('/api/v1/groups')).body.data).toHaveLength(7);
    });

    it('sees each group once while groups are created and changed during the walk', async () => {
      const own = await newTenant();
      const bearer = await own.token();
      const groups: Group[] = [];
      for (let i = 0; i < 7; i++) groups.push(await createGroup({}, bearer));
      const sorted = groups.map((group) => group.id).sort(byId);
      const added: string[] = [];

      const pages = await walk<Group>(bearer, '/api/v1/groups', { limit: 2 }, async (page) => {
        if (page === 1) {
          added.push((await createGroup({}, bearer)).id, (await createGroup({}, bearer)).id);
        }
        if (page === 2) {
          // One group already seen, one not yet seen.
          for (const id of [sorted[0], sorted[6]]) {
            expect(
              (
                await as(bearer)
                  .patch(`/api/v1/groups/${id}`)
                  .send({ display_name: unique('renamed') })
              ).status,
            ).toBe(200);
          }
        }
      });

      const seen = pages.flat().map((group) => group.id);
      expect(seen).toEqual([...sorted, ...added].sort(byId));
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('reads the member IDs of a whole page with one query', async () => {
      const own = await newTenant();
      const bearer = await own.token();
      const [a, b, c] = [await createMember(bearer), await createMember(bearer), await createMember(bearer)];
      const groups = [
        await createGroup({ member_ids: [a.id, c.id] }, bearer),
        await createGroup({ member_ids: [] }, bearer),
        await createGroup({ member_ids: [c.id, b.id, a.id] }, bearer),
      ];
      const dataSource = t.app.get(DataSource);
      const logger = dataSource.logger;
      const original = logger.logQuery.bind(logger);
      const queries: string[] = [];
      logger.logQuery = (query, parameters, runner) => {
        queries.push(query);
        return original(query, parameters, runner);
      };
      let response: request.Response;
      try {
        response = await as(bearer).get('/api/v1/groups');
      } finally {
        logger.logQuery = original;
      }

      expect(response.status).toBe(200);
      expect((response.body as Page<Group>).data.map((group) => [group.id, group.member_ids])).toEqual([
        [groups[0]!.id, [a.id, c.id].sort(byId)],
        [groups[1]!.id, []],
        [groups[2]!.id, [a.id, b.id, c.id].sort(byId)],
      ]);
      expect(queries.filter((query) => query.includes('group_members'))).toHaveLength(1);
    });

    it('filters by exact external_id and display_name, and both', async () => {
      const own = await newTenant();
      const bearer = await own.token();
      const engineering = await createGroup({ display_name: 'Eng', external_id: 'e-1' }, bearer);
      const engineering2 = await createGroup({ display_name: 'Eng', external_id: 'e-2' }, bearer);
      await createGroup({ display_name: 'Sales', external_id: 'E-1' }, bearer);
      await createGroup({ display_name: 'Eng team' }, bearer);
      const ids = async (query: Query) =>
        ((await as(bearer).get('/api/v1/groups', query)).body as Page<Group>).data.map((group) => group.id);

      expect(await ids({ display_name: 'Eng' })).toEqual([engineering.id, engineering2.id]);
      expect(await ids({ display_name: 'eng' })).toEqual([]);
      expect(await ids({ external_id: 'e-1' })).toEqual([engineering.id]);
      expect(await ids({ display_name: 'Eng', external_id: 'e-2' })).toEqual([engineering2.id]);
      expect(await ids({ display_name: 'Sales', external_id: 'e-2' })).toEqual([]);
    });

    it('reports changes and tombstones in incremental reads, and tombstones on request', async () => {
      const own = await newTenant();
      const bearer = await own.token();
      const member = await createMember(bearer);
      const [unchanged, changed, deleted] = [
        await createGroup({}, bearer),
        await createGroup({}, bearer),
        await createGroup({ member_ids: [member.id] }, bearer),
      ];
      await tick();
      const since = new Date().toISOString();
      await tick();
      expect((await as(bearer).patch(`/api/v1/groups/${changed.id}`).send({ external_id: 'x-1' })).status).toBe(200);
      expect((await as(bearer).delete(`/api/v1/groups/${deleted.id}`)).status).toBe(204);
      const created = await createGroup({}, bearer);

      const incremental = (await as(bearer).get('/api/v1/groups', { updated_since: since })).body as Page<Group>;
      expect(incremental.data.map((group) => group.id)).toEqual([changed.id, deleted.id, created.id]);
      const tombstone = incremental.data[1]!;
      expect(tombstone).toEqual({
        ...deleted,
        member_ids: [],
        updated_at: tombstone.deleted_at,
        deleted_at: expect.any(String),
      });
      expect(Date.parse(tombstone.deleted_at!)).toBeGreaterThanOrEqual(Date.parse(since));

      const live = (await as(bearer).get('/api/v1/groups')).body as Page<Group>;
      expect(live.data.map((group) => group.id)).toEqual([unchanged.id, changed.id, created.id]);
      const everything = (await as(bearer).get('/api/v1/groups', { include_deleted: true })).body as Page<Group>;
      expect(everything.data.map((group) => group.id)).toEqual([unchanged.id, changed.id, deleted.id, created.id]);
      expect(everything.data[2]).toEqual(tombstone);
    });

    it.each([
      [{ limit: 0 }, 'limit', 'limit must be a whole number between 1 and 500'],
      [{ limit: 501 }, 'limit', 'limit must be a whole number between 1 and 500'],
      [{ updated_since: 'yesterday' }, 'updated_since', 'updated_since must be an RFC 3339 date-time, such as 2026-01-31T12:00:00Z'],
      [{ include_deleted: 'yes' }, 'include_deleted', 'include_deleted must be true or false'],
      [{ display_name: '' }, 'display_name', 'display_name must not be empty'],
      [{ color: 'red' }, 'color', 'color is not a known field'],
    ])('refuses the query %j', async (query, field, message) => {
      expectFieldError(await api().get('/api/v1/groups', query), field, message);
    });
  });

  describe('cursors', () => {
    const CURSOR_ERROR = 'cursor is not one this list returned; start again without a cursor';
    let cursor: string;
    let groupId: string;

    beforeAll(async () => {
      for (let i = 0; i < 3; i++) await createGroup();
      cursor = (await api().get('/api/v1/groups', { limit: 1 })).body.next_cursor as string;
      const members = [await createMember(), await createMember(), await createMember()];
      groupId = (await createGroup({ member_ids: members.map((member) => member.id) })).id;
    });

    it('refuses an edited cursor', async () => {
      const [, mac] = cursor.split('.');
      const edited = `${Buffer.from(randomUUID()).toString('base64url')}.${mac}`;
      expectFieldError(await api().get('/api/v1/groups', { limit: 1, cursor: edited }), 'cursor', CURSOR_ERROR);
      expectFieldError(await api().get('/api/v1/groups', { limit: 1, cursor: 'garbage' }), 'cursor', CURSOR_ERROR);
    });

    it("refuses another organization's cursor", async () => {
      const other = await newTenant();
      expectFieldError(await as(await other.token()).get('/api/v1/groups', { limit: 1, cursor }), 'cursor', CURSOR_ERROR);
    });

    it('refuses a cursor used with other filters', async () => {
      expectFieldError(await api().get('/api/v1/groups', { limit: 1, cursor, include_deleted: true }), 'cursor', CURSOR_ERROR);
      expectFieldError(await api().get('/api/v1/groups', { limit: 1, cursor, display_name: 'x' }), 'cursor', CURSOR_ERROR);
    });

    it("refuses a group list's cursor on a group's members, and one group's members cursor on another's", async () => {
      const otherGroup = await createGroup({ member_ids: [(await createMember()).id, (await createMember()).id] });
      const membersCursor = (await api().get(`/api/v1/groups/${groupId}/members`, { limit: 1 })).body.next_cursor as string;
      expect(membersCursor).toEqual(expect.any(String));

      expectFieldError(await api().get(`/api/v1/groups/${groupId}/members`, { limit: 1, cursor }), 'cursor', CURSOR_ERROR);
      expectFieldError(
        await api().get(`/api/v1/groups/${otherGroup.id}/members`, { limit: 1, cursor: membersCursor }),
        'cursor',
        CURSOR_ERROR,
      );
      expectFieldError(await api().get('/api/v1/groups', { limit: 1, cursor: membersCursor }), 'cursor', CURSOR_ERROR);
    });
  });

  describe('a group’s members (/api/v1/groups/:id/members)', () => {
    it('pages through the live members as member records, in id order', async () => {
      const members: Member[] = [];
      for (let i = 0; i < 6; i++) members.push(await createMember());
      const outsider = await createMember();
      const group = await createGroup({ member_ids: members.map((member) => member.id) });
      expect((await api().delete(`/api/v1/members/${members[2]!.id}`)).status).toBe(204);
      const live = members.filter((_, i) => i !== 2).sort((a, b) => byId(a.id, b.id));

      const pages = await walk<Member>(token, `/api/v1/groups/${group.id}/members`, { limit: 2 });

      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(live);
      expect(pages.flat().map((member) => member.id)).not.toContain(outsider.id);
    });

    it('continues after a cursor whose member has since left the group, with the members who joined after it in id order', async () => {
      const members: Member[] = [];
      for (let i = 0; i < 5; i++) members.push(await createMember());
      const [first, second, third, fourth, fifth] = [...members].sort((a, b) => byId(a.id, b.id));
      const group = await createGroup({ member_ids: [first!.id, second!.id, fourth!.id] });

      const pages = await walk<Member>(token, `/api/v1/groups/${group.id}/members`, { limit: 2 }, async (pageNumber) => {
        if (pageNumber !== 1) return;
        // The cursor names the second member, which now leaves; the third and fifth, both after it in id order, join.
        const { etag } = await getGroup(group.id);
        const patched = await api()
          .patch(`/api/v1/groups/${group.id}`)
          .set('if-match', etag)
          .send({ member_ids: [first!.id, third!.id, fourth!.id, fifth!.id] });
        expect(patched.status).toBe(200);
      });

      expect(pages.flat().map((member) => member.id)).toEqual([first!.id, second!.id, third!.id, fourth!.id, fifth!.id]);
    });

    it('answers an empty page for a group without members', async () => {
      const group = await createGroup();
      expect((await api().get(`/api/v1/groups/${group.id}/members`)).body).toEqual({ data: [], next_cursor: null });
    });

    it('answers 404 for a deleted group', async () => {
      const group = await createGroup();
      expect((await api().delete(`/api/v1/groups/${group.id}`)).status).toBe(204);
      expectProblem(await api().get(`/api/v1/groups/${group.id}/members`), 404, 'not_found');
    });

    it.each([
      [{ limit: 0 }, 'limit', 'limit must be a whole number between 1 and 500'],
      [{ limit: 501 }, 'limit', 'limit must be a whole number between 1 and 500'],
      [{ updated_since: '2026-01-01T00:00:00Z' }, 'updated_since', 'updated_since is not a known field'],
    ])('refuses the query %j', async (query, field, message) => {
      const group = await createGroup();
      expectFieldError(await api().get(`/api/v1/groups/${group.id}/members`, query), field, message);
    });
  });

  describe('membership changes', () => {
    it('replaces the whole membership on PATCH, bumping version and updated_at', async () => {
      const [a, b, c] = [await createMember(), await createMember(), await createMember()];
      const group = await createGroup({ member_ids: [a.id, b.id] });
      await tick();

      const response = await api()
        .patch(`/api/v1/groups/${group.id}`)
        .send({ member_ids: [c.id, b.id] });

      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"v2"');
      const changed = response.body as Group;
      expect(changed).toEqual({ ...group, member_ids: [b.id, c.id].sort(byId), updated_at: expect.any(String) });
      expect(Date.parse(changed.updated_at)).toBeGreaterThan(Date.parse(group.updated_at));
      expect(await getGroup(group.id)).toEqual({ group: changed, etag: '"v2"' });

      const emptied = await api().patch(`/api/v1/groups/${group.id}`).send({ member_ids: [] });
      expect(emptied.body).toMatchObject({ member_ids: [] });
      expect(emptied.headers['etag']).toBe('"v3"');
    });

    it('keeps the membership when member_ids is left out, and clears external_id with null', async () => {
      const member = await createMember();
      const group = await createGroup({ external_id: 'ext-1', member_ids: [member.id] });

      const response = await api().patch(`/api/v1/groups/${group.id}`).send({ display_name: 'Renamed', external_id: null });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...group,
        display_name: 'Renamed',
        external_id: null,
        member_ids: [member.id],
        updated_at: expect.any(String),
      });
    });

    it('takes a deleted member out of its groups and bumps each of them, and only them', async () => {
      const own = await newTenant();
      const bearer = await own.token();
      const [a, b] = [await createMember(bearer), await createMember(bearer)];
      const both = await createGroup({ member_ids: [a.id, b.id] }, bearer);
      const onlyA = await createGroup({ member_ids: [a.id] }, bearer);
      const onlyB = await createGroup({ member_ids: [b.id] }, bearer);
      await tick();
      const since = new Date().toISOString();
      await tick();

      expect((await as(bearer).delete(`/api/v1/members/${a.id}`)).status).toBe(204);

      const afterBoth = await getGroup(both.id, bearer);
      expect(afterBoth.etag).toBe('"v2"');
      expect(afterBoth.group.member_ids).toEqual([b.id]);
      expect(Date.parse(afterBoth.group.updated_at)).toBeGreaterThanOrEqual(Date.parse(since));
      const afterOnlyA = await getGroup(onlyA.id, bearer);
      expect(afterOnlyA.etag).toBe('"v2"');
      expect(afterOnlyA.group.member_ids).toEqual([]);
      expect(await getGroup(onlyB.id, bearer)).toEqual({ group: onlyB, etag: '"v1"' });

      const incremental = (await as(bearer).get('/api/v1/groups', { updated_since: since })).body as Page<Group>;
      expect(incremental.data).toEqual([afterBoth.group, afterOnlyA.group]);
      const members = (await as(bearer).get(`/api/v1/groups/${both.id}/members`)).body as Page<Member>;
      expect(members.data.map((member) => member.id)).toEqual([b.id]);
      expect(await t.app.get(DataSource).getRepository(GroupMembershipEntity).countBy({ memberId: a.id })).toBe(0);
    });

    it('leaves the tombstone of a deleted group alone when a former member is deleted', async () => {
      const member = await createMember();
      const group = await createGroup({ member_ids: [member.id] });
      expect((await api().delete(`/api/v1/groups/${group.id}`)).status).toBe(204);
      const tombstone = (await api().get('/api/v1/groups', { include_deleted: true, display_name: group.display_name }))
        .body as Page<Group>;

      expect((await api().delete(`/api/v1/members/${member.id}`)).status).toBe(204);

      const after = (await api().get('/api/v1/groups', { include_deleted: true, display_name: group.display_name })).body as Page<Group>;
      expect(after).toEqual(tombstone);
    });
  });

  describe('preconditions', () => {
    it('answers 304 to If-None-Match with the current ETag, weak or strong, and 200 otherwise', async () => {
      const group = await createGroup();
      const path = `/api/v1/groups/${group.id}`;

      for (const tag of ['"v1"', 'W/"v1"', '"v0", "v1"', '*']) {
        const response = await api().get(path).set('if-none-match', tag);
        expect(response.status).toBe(304);
        expect(response.headers['etag']).toBe('"v1"');
        expect(response.text).toBe('');
      }
      const stale = await api().get(path).set('if-none-match', '"v0"');
      expect(stale.status).toBe(200);
      expect(stale.body).toEqual(group);
    });

    it('refuses a PATCH or DELETE with a stale If-Match with 412, and changes nothing', async () => {
      const group = await createGroup();
      const path = `/api/v1/groups/${group.id}`;
      const renamed = await api().patch(path).set('if-match', '"v1"').send({ display_name: 'First' });
      expect(renamed.status).toBe(200);
      expect(renamed.headers['etag']).toBe('"v2"');

      const stalePatch = await api().patch(path).set('if-match', '"v1"').send({ display_name: 'Second' });
      const staleDelete = await api().delete(path).set('if-match', '"v1"');

      expect(expectProblem(stalePatch, 412, 'precondition_failed').detail).toContain('"v2"');
      expectProblem(staleDelete, 412, 'precondition_failed');
      expect(await getGroup(group.id)).toEqual({ group: renamed.body as Group, etag: '"v2"' });
      expect((await api().delete(path).set('if-match', '"v2"')).status).toBe(204);
    });
  });

  describe('idempotent creation', () => {
    it('replays the answer to a retried POST and creates one group', async () => {
      const key = randomUUID();
      const member = await createMember();
      const body = { display_name: unique('idem'), member_ids: [member.id] };

      const first = await api().post('/api/v1/groups').set('idempotency-key', key).send(body);
      const retry = await api().post('/api/v1/groups').set('idempotency-key', key).send(body);

      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.headers['location']).toBe(first.headers['location']);
      expect(retry.body).toEqual(first.body);
      const listed = (await api().get('/api/v1/groups', { display_name: body.display_name })).body as Page<Group>;
      expect(listed.data).toEqual([first.body]);
    });

    it('refuses the same key with another body with 422, creating nothing more', async () => {
      const key = randomUUID();
      const name = unique('idem');
      expect((await api().post('/api/v1/groups').set('idempotency-key', key).send({ display_name: name })).status).toBe(201);

      const reused = await api()
        .post('/api/v1/groups')
        .set('idempotency-key', key)
        .send({ display_name: `${name}-other` });

      expectProblem(reused, 422, 'idempotency_key_reused');
      expect((await api().get('/api/v1/groups', { display_name: `${name}-other` })).body.data).toEqual([]);
    });

    it('does not remember a key for a refused request', async () => {
      const key = randomUUID();
      const name = unique('idem');
      const refused = await api()
        .post('/api/v1/groups')
        .set('idempotency-key', key)
        .send({ display_name: name, member_ids: [randomUUID()] });
      expectProblem(refused, 400, 'validation_failed');

      const member = await createMember();
      const accepted = await api()
        .post('/api/v1/groups')
        .set('idempotency-key', key)
        .send({ display_name: name, member_ids: [member.id] });
      expect(accepted.status).toBe(201);
    });
  });

  describe('deletion', () => {
    it('soft-deletes a group: 204, then 404 on every verb', async () => {
      const member = await createMember();
      const group = await createGroup({ member_ids: [member.id] });
      const path = `/api/v1/groups/${group.id}`;

      const response = await api().delete(path);

      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expectProblem(await api().get(path), 404, 'not_found');
      expectProblem(await api().patch(path).send({ display_name: 'Back' }), 404, 'not_found');
      expectProblem(await api().delete(path), 404, 'not_found');
      // The member itself stays.
      expect((await api().get(`/api/v1/members/${member.id}`)).status).toBe(200);
    });
  });

  describe('groups owned by a sync connection', () => {
    const connectionId = 'conn-0190a1b2-c3d4';
    let synced: GroupEntity;

    beforeAll(async () => {
      const now = new Date();
      synced = Object.assign(new GroupEntity(), {
        id: uuidv7(),
        organizationId: tenant.organizationId,
        externalId: 'ldap-cn-ops',
        displayName: 'Ops (from LDAP)',
        source: connectionId,
        version: 1,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await t.app.get(DataSource).getRepository(GroupEntity).insert(synced);
    });

    it('are read like any group, with their source', async () => {
      const { group } = await getGroup(synced.id);
      expect(group).toMatchObject({ id: synced.id, source: connectionId, member_ids: [] });
    });

    it('refuse PATCH and DELETE with 409 naming the connection, and stay unchanged', async () => {
      const path = `/api/v1/groups/${synced.id}`;
      const before = await getGroup(synced.id);

      for (const response of [await api().patch(path).send({ display_name: 'Mine now' }), await api().delete(path)]) {
        const problem = expectProblem(response, 409, 'owned_by_sync');
        expect(problem.detail).toBe(`This group is managed by sync connection ${connectionId}; change it in the system of record.`);
        expect(response.body.sync_connection_id).toBe(connectionId);
      }
      expect(await getGroup(synced.id)).toEqual(before);
    });
  });

  describe('scopes', () => {
    let group: Group;
    beforeAll(async () => {
      group = await createGroup({ member_ids: [(await createMember()).id] });
    });

    const challenge = (scope: string) => `Bearer realm="orgsync", error="insufficient_scope", scope="${scope}"`;

    it('lets groups:read read groups but not their member records, which also need members:read', async () => {
      const groupsOnly = as(await tenant.token('groups:read'));
      expect((await groupsOnly.get('/api/v1/groups')).status).toBe(200);
      expect((await groupsOnly.get(`/api/v1/groups/${group.id}`)).status).toBe(200);

      const response = await groupsOnly.get(`/api/v1/groups/${group.id}/members`);

      expectProblem(response, 403, 'insufficient_scope');
      expect(response.headers['www-authenticate']).toBe(challenge('groups:read members:read'));
      const both = as(await tenant.token('groups:read members:read'));
      expect((await both.get(`/api/v1/groups/${group.id}/members`)).status).toBe(200);
    });

    it('refuses every write to a read-only token, and changes nothing', async () => {
      const readOnly = as(await tenant.token('groups:read members:read'));
      const path = `/api/v1/groups/${group.id}`;

      for (const response of [
        await readOnly.post('/api/v1/groups').send({ display_name: 'x' }),
        await readOnly.patch(path).send({ display_name: 'x' }),
        await readOnly.delete(path),
      ]) {
        expectProblem(response, 403, 'insufficient_scope');
        expect(response.headers['www-authenticate']).toBe(challenge('groups:write'));
      }
      expect((await getGroup(group.id)).etag).toBe('"v1"');
    });

    it('refuses group reads to a token with members scopes only', async () => {
      const membersOnly = as(await tenant.token('members:read members:write'));
      for (const path of ['/api/v1/groups', `/api/v1/groups/${group.id}`, `/api/v1/groups/${group.id}/members`]) {
        expectProblem(await membersOnly.get(path), 403, 'insufficient_scope');
      }
    });
  });

  describe('organizations are kept apart', () => {
    it("answers 404 to another organization's group ID on every verb, exactly as to an unknown ID", async () => {
      const other = await newTenant();
      const otherToken = await other.token();
      const foreign = await createGroup({ member_ids: [(await createMember(otherToken)).id] }, otherToken);
      const unknown = uuidv7();

      for (const id of [foreign.id, unknown]) {
        const path = `/api/v1/groups/${id}`;
        for (const response of [
          await api().get(path),
          await api().get(`${path}/members`),
          await api().patch(path).send({ display_name: 'Taken over' }),
          await api().delete(path),
        ]) {
          expect(expectProblem(response, 404, 'not_found').detail).toBe(`Group ${id} was not found.`);
        }
      }
      expect(await getGroup(foreign.id, otherToken)).toEqual({ group: foreign, etag: '"v1"' });
    });

    it('lists only the caller’s groups', async () => {
      const other = await newTenant();
      const otherToken = await other.token();
      const mine = await createGroup({}, otherToken);
      const listed = (await as(otherToken).get('/api/v1/groups', { include_deleted: true })).body as Page<Group>;
      expect(listed.data).toEqual([mine]);
    });

    it('answers 404, never a server error, for IDs that are not UUIDs, on every verb', async () => {
      for (const id of NOT_UUIDS) {
        const path = `/api/v1/groups/${id}`;
        expectProblem(await api().get(path), 404, 'not_found');
        expectProblem(await api().get(`${path}/members`), 404, 'not_found');
        expectProblem(await api().patch(path).send({ display_name: 'x' }), 404, 'not_found');
        expectProblem(await api().delete(path), 404, 'not_found');
      }
    });
  });
});

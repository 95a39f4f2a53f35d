import { DataSource } from 'typeorm';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { expectProblem, organizationToken } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Member {
  id: string;
  email: string | null;
  user_name: string;
  updated_at: string;
  deleted_at: string | null;
  [field: string]: unknown;
}

describe('members API (/api/v1/members)', () => {
  let t: TestApp;
  let token: string;
  let organizationId: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp();
    ({ token, organizationId } = await organizationToken(t));
  });
  afterAll(() => t.close());

  const api = () => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => t.http().post(path).auth(token, { type: 'bearer' }),
    patch: (path: string) => t.http().patch(path).auth(token, { type: 'bearer' }),
    delete: (path: string) => t.http().delete(path).auth(token, { type: 'bearer' }),
  });
  const unique = () => `user${++n}-${Date.now()}`;
  async function createMember(fields: Record<string, unknown> = {}): Promise<Member> {
    const name = unique();
    const response = await api()
      .post('/api/v1/members')
      .send({ user_name: name, email: `${name}@example.com`, ...fields });
    expect(response.status).toBe(201);
    return response.body as Member;
  }

  describe('create and read', () => {
    it('creates a member with every field, in snake_case, source "api"', async () => {
      const response = await api().post('/api/v1/members').send({
        user_name: 'ada',
        email: 'Ada@Example.com',
        external_id: 'hr-1',
        display_name: 'Ada Lovelace',
        given_name: 'Ada',
        family_name: 'Lovelace',
        title: 'Analyst',
        department: 'Engines',
      });
      expect(response.status).toBe(201);
      expect(response.headers['location']).toBe(`/api/v1/members/${response.body.id}`);
      expect(response.headers['etag']).toBe('"v1"');
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        external_id: 'hr-1',
        user_name: 'ada',
        email: 'Ada@Example.com',
        display_name: 'Ada Lovelace',
        given_name: 'Ada',
        family_name: 'Lovelace',
        title: 'Analyst',
        department: 'Engines',
        active: true,
        source: 'api',
        created_at: expect.any(String),
        updated_at: expect.any(String),
        deleted_at: null,
      });
    });

    it('reads a member with its ETag, and answers 304 to If-None-Match', async () => {
      const member = await createMember();
      const response = await api().get(`/api/v1/members/${member.id}`);
      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"v1"');
      expect(response.body).toEqual(member);
      const cached = await api().get(`/api/v1/members/${member.id}`).set('if-none-match', '"v1"');
      expect(cached.status).toBe(304);
    });

    it('answers 404 for an unknown or malformed ID', async () => {
      expectProblem(await api().get('/api/v1/members/01939a2b-0000-7000-8000-000000000000'), 404, 'not_found');
      expectProblem(await api().get('/api/v1/members/not-a-uuid'), 404, 'not_found');
    });

    it('refuses a duplicate live email, ignoring case, with 409', async () => {
      const member = await createMember();
      const response = await api().post('/api/v1/members').send({ user_name: unique(), email: member.email!.toUpperCase() });
      expectProblem(response, 409, 'conflict');
    });
  });

  describe('validation', () => {
    it.each([
      ['a missing user_name', { email: 'x@example.com' }, 'user_name'],
      ['an invalid email', { user_name: 'x', email: 'not-an-email' }, 'email'],
      ['a too-long display_name', { user_name: 'x', display_name: 'x'.repeat(256) }, 'display_name'],
      ['a wrong type', { user_name: 'x', active: 'yes' }, 'active'],
      ['an unknown field', { user_name: 'x', organization_id: 'someone-else' }, 'organization_id'],
      ['control characters', { user_name: 'x\u0000y' }, 'user_name'],
    ])('refuses %s with a field-level 400', async (_label, body, field) => {
      const response = await api().post('/api/v1/members').send(body);
      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['updated_since=yesterday', 'updated_since'],
      ['active=maybe', 'active'],
      ['cursor=forged', 'cursor'],
      ['org_id=x', 'org_id'],
    ])('refuses the query %s with a field-level 400', async (query, field) => {
      const response = await api().get(`/api/v1/members?${query}`);
      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('listing', () => {
    it('walks every member exactly once, in a stable order, while records are created and updated', async () => {
      const { token: ownToken } = await organizationToken(t, undefined, 'Walkers');
      const as = (path: string) => t.http().get(path).auth(ownToken, { type: 'bearer' });
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const response = await t
          .http()
          .post('/api/v1/members')
          .auth(ownToken, { type: 'bearer' })
          .send({ user_name: `walker${i}` });
        created.push(response.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await as(`/api/v1/members?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(response.status).toBe(200);
        seen.push(...(response.body.data as Member[]).map((m) => m.id));
        cursor = response.body.next_cursor;
        if (pages++ === 1) {
          // Mid-walk: update a member already seen and one not yet seen.
          await t.http().patch(`/api/v1/members/${created[0]}`).auth(ownToken, { type: 'bearer' }).send({ title: 'changed' });
          await t.http().patch(`/api/v1/members/${created[6]}`).auth(ownToken, { type: 'bearer' }).send({ title: 'changed' });
        }
      } while (cursor);
      expect(seen).toEqual(created);
    });

    it('filters by email (ignoring case) and by active', async () => {
      const inactive = await createMember({ active: false });
      const byEmail = await api().get(`/api/v1/members?email=${encodeURIComponent(inactive.email!.toUpperCase())}`);
      expect((byEmail.body.data as Member[]).map((m) => m.id)).toEqual([inactive.id]);
      const onlyInactive = await api().get('/api/v1/members?active=false&limit=500');
      expect((onlyInactive.body.data as Member[]).every((m) => m.active === false)).toBe(true);
      expect((onlyInactive.body.data as Member[]).map((m) => m.id)).toContain(inactive.id);
    });

    it('reports creations, updates and deletions since a point in time, tombstones included', async () => {
      const before = await createMember();
      const since = new Date(Date.now() + 5).toISOString();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const created = await createMember();
      const updated = await createMember();
      const deleted = await createMember();
      await api().patch(`/api/v1/members/${updated.id}`).send({ title: 'Lead' });
      await api().delete(`/api/v1/members/${deleted.id}`);
      const response = await api().get(`/api/v1/members?limit=500&updated_since=${encodeURIComponent(since)}`);
      const ids = (response.body.data as Member[]).map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining([created.id, updated.id, deleted.id]));
      expect(ids).not.toContain(before.id);
      expect((response.body.data as Member[]).find((m) => m.id === deleted.id)?.deleted_at).toEqual(expect.any(String));
    });

    it('hides tombstones unless asked for them', async () => {
      const member = await createMember();
      await api().delete(`/api/v1/members/${member.id}`);
      const plain = await api().get('/api/v1/members?limit=500');
      expect((plain.body.data as Member[]).map((m) => m.id)).not.toContain(member.id);
      const withDeleted = await api().get('/api/v1/members?limit=500&include_deleted=true');
      expect((withDeleted.body.data as Member[]).map((m) => m.id)).toContain(member.id);
    });

    it('refuses a cursor issued for other filters', async () => {
      await createMember();
      await createMember();
      const first = await api().get('/api/v1/members?limit=1&active=true');
      const response = await api().get(`/api/v1/members?limit=1&active=false&cursor=${encodeURIComponent(first.body.next_cursor)}`);
      expectProblem(response, 400, 'validation_failed');
    });
  });

  describe('changes', () => {
    it('updates fields, clears optional ones with null, and bumps the ETag', async () => {
      const member = await createMember({ title: 'Engineer' });
      const response = await api().patch(`/api/v1/members/${member.id}`).send({ display_name: 'New Name', title: null });
      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"v2"');
      expect(response.body).toMatchObject({ display_name: 'New Name', title: null, user_name: member.user_name });
      expect(Date.parse(response.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(member.updated_at));
    });

    it('honours If-Match: the current ETag passes, a stale one gets 412 and changes nothing', async () => {
      const member = await createMember();
      expect((await api().patch(`/api/v1/members/${member.id}`).set('if-match', '"v1"').send({ title: 'A' })).status).toBe(200);
      const stale = await api().patch(`/api/v1/members/${member.id}`).set('if-match', '"v1"').send({ title: 'B' });
      expectProblem(stale, 412, 'precondition_failed');
      expect((await api().get(`/api/v1/members/${member.id}`)).body.title).toBe('A');
    });

    it('refuses null for user_name and active', async () => {
      const member = await createMember();
      expectProblem(await api().patch(`/api/v1/members/${member.id}`).send({ user_name: null }), 400, 'validation_failed');
      expectProblem(await api().patch(`/api/v1/members/${member.id}`).send({ active: null }), 400, 'validation_failed');
    });

    it('refuses to take another live member’s email', async () => {
      const a = await createMember();
      const b = await createMember();
      expectProblem(await api().patch(`/api/v1/members/${b.id}`).send({ email: a.email }), 409, 'conflict');
    });

    it('frees the email of a deleted member', async () => {
      const member = await createMember();
      await api().delete(`/api/v1/members/${member.id}`).expect(204);
      expect((await api().post('/api/v1/members').send({ user_name: unique(), email: member.email })).status).toBe(201);
    });

    it('soft-deletes: 204, then 404 on read and on a second delete', async () => {
      const member = await createMember();
      expect((await api().delete(`/api/v1/members/${member.id}`)).status).toBe(204);
      expect((await api().get(`/api/v1/members/${member.id}`)).status).toBe(404);
      expect((await api().delete(`/api/v1/members/${member.id}`)).status).toBe(404);
    });
  });

  describe('Idempotency-Key', () => {
    it('creates one member for a retried POST and replays the first answer', async () => {
      const body = { user_name: unique() };
      const first = await api().post('/api/v1/members').set('idempotency-key', `k-${body.user_name}`).send(body);
      const retry = await api().post('/api/v1/members').set('idempotency-key', `k-${body.user_name}`).send(body);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const dataSource = t.app.get(DataSource);
      expect(await dataSource.getRepository(MemberEntity).countBy({ organizationId, userName: body.user_name })).toBe(1);
    });

    it('creates one member when the same POST races itself', async () => {
      const body = { user_name: unique() };
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => api().post('/api/v1/members').set('idempotency-key', `race-${body.user_name}`).send(body)),
      );
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    });

    it('replays a retry whose JSON lists the same fields in another order', async () => {
      const name = unique();
      const key = `k-order-${name}`;
      const first = await api().post('/api/v1/members').set('idempotency-key', key).send({ user_name: name, title: 'T' });
      const retry = await api().post('/api/v1/members').set('idempotency-key', key).send({ title: 'T', user_name: name });
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(first.body.id);
    });

    it('refuses the same key with a different body (422)', async () => {
      const key = `k-${unique()}`;
      await api().post('/api/v1/members').set('idempotency-key', key).send({ user_name: unique() });
      expectProblem(
        await api().post('/api/v1/members').set('idempotency-key', key).send({ user_name: unique() }),
        422,
        'idempotency_key_reused',
      );
    });

    it('refuses a malformed key', async () => {
      expectProblem(
        await api().post('/api/v1/members').set('idempotency-key', 'x'.repeat(300)).send({ user_name: unique() }),
        400,
        'validation_failed',
      );
    });
  });

  describe('records owned by a sync connection', () => {
    it('are read-only: PATCH and DELETE get 409 naming the connection', async () => {
      const member = await createMember();
      await t.app.get(DataSource).getRepository(MemberEntity).update({ id: member.id }, { source: 'conn-123' });
      for (const response of [
        await api().patch(`/api/v1/members/${member.id}`).send({ title: 'x' }),
        await api().delete(`/api/v1/members/${member.id}`),
      ]) {
        const problem = expectProblem(response, 409, 'owned_by_sync');
        expect(problem.detail).toContain('conn-123');
        expect(response.body.sync_connection_id).toBe('conn-123');
      }
      expect((await api().get(`/api/v1/members/${member.id}`)).body.source).toBe('conn-123');
    });
  });

  describe('scopes', () => {
    it('needs members:read to read and members:write to write', async () => {
      const { token: readOnly } = await organizationToken(t, 'members:read', 'Readers');
      expect((await t.http().get('/api/v1/members').auth(readOnly, { type: 'bearer' })).status).toBe(200);
      const write = await t.http().post('/api/v1/members').auth(readOnly, { type: 'bearer' }).send({ user_name: 'x' });
      expect(write.status).toBe(403);
      expect(write.headers['www-authenticate']).toContain('scope="members:write"');
      const { token: orgOnly } = await organizationToken(t, 'org:read', 'Org readers');
      expect((await t.http().get('/api/v1/members').auth(orgOnly, { type: 'bearer' })).status).toBe(403);
    });
  });
});

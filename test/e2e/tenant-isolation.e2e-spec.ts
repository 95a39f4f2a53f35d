import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { adminToken, organizationToken } from '../support/factories.js';
import { routesOf } from '../support/routes.js';
import { createSyncConnection, insertSyncRun, syncReadToken } from '../support/sync-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Two organizations whose data collide (same emails, user names, external IDs,
 * group names) plus values only B has. Every route of the organization APIs,
 * every verb, is called with A's token in every way that could reach B's data;
 * none of B's IDs or B-only values may ever appear in A's answers, B's IDs must
 * answer exactly like IDs that do not exist, and B's data must be unchanged.
 */
describe('tenant isolation of the organization APIs', () => {
  let t: TestApp;
  let a: { organizationId: string; token: string };
  let b: { organizationId: string; token: string };
  const bIds: string[] = [];
  const B_ONLY = ['B-only-department-7f3a', 'B-only-title-91c2', 'B-only-group-55d0', 'B-only-run-error-3c8e'];
  let bMemberId: string;
  let bGroupId: string;
  let aMemberId: string;
  let aGroupId: string;
  let bSnapshot: string;
  /** Tokens with sync:read, and each organization's sync connection with runs. */
  let aSync: { token: string; connectionId: string };
  let bSync: { token: string; connectionId: string };
  let bRunsSnapshot: string;
  const exercised = new Set<string>();

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => t.http().post(path).auth(token, { type: 'bearer' }),
    patch: (path: string) => t.http().patch(path).auth(token, { type: 'bearer' }),
    delete: (path: string) => t.http().delete(path).auth(token, { type: 'bearer' }),
  });

  async function seed(token: string, extra: boolean): Promise<{ memberIds: string[]; groupIds: string[] }> {
    const memberIds: string[] = [];
    for (const name of ['ada', 'grace', 'linus']) {
      const response = await as(token)
        .post('/api/v1/members')
        .send({
          user_name: name,
          email: `${name}@shared.example`,
          external_id: `ext-${name}`,
          display_name: name.toUpperCase(),
          ...(extra ? { department: B_ONLY[0], title: B_ONLY[1] } : {}),
        });
      expect(response.status).toBe(201);
      memberIds.push(response.body.id);
    }
    const groupIds: string[] = [];
    for (const name of ['Engineering', ...(extra ? [B_ONLY[2]] : [])]) {
      const response = await as(token)
        .post('/api/v1/groups')
        .send({ display_name: name, external_id: `ext-${name}`, member_ids: memberIds });
      expect(response.status).toBe(201);
      groupIds.push(response.body.id);
    }
    return { memberIds, groupIds };
  }

  /** A sync connection with runs written as the worker would; B's carry an error only B has. */
  async function seedSyncRuns(organizationId: string, extra: boolean): Promise<{ token: string; connectionId: string }> {
    const admin = await adminToken(t);
    const connection = await createSyncConnection(t, admin, organizationId);
    const runIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await insertSyncRun(t.app.get(DataSource), connection, extra ? { status: 'failed', error: B_ONLY[3]! } : {});
      runIds.push(run.id);
    }
    if (extra) bIds.push(connection.id, ...runIds);
    return { token: await syncReadToken(t, admin, organizationId), connectionId: connection.id };
  }

  async function snapshot(token: string): Promise<string> {
    const parts = await Promise.all(
      ['/api/v1/organization', '/api/v1/members?limit=500&include_deleted=true', '/api/v1/groups?limit=500&include_deleted=true'].map(
        async (path) => (await as(token).get(path)).text,
      ),
    );
    return parts.join('\n');
  }

  /** Records the route as exercised and proves A's answer holds nothing of B. */
  function check(route: string, response: Response): Response {
    exercised.add(route);
    // A 404 problem echoes the requested path: what A itself sent is not a leak.
    const request = response.request as unknown as { url: string; _data?: unknown };
    const sent = `${request.url} ${JSON.stringify(request._data ?? '')}`;
    for (const value of [...bIds, ...B_ONLY].filter((v) => !sent.includes(v))) {
      expect({ route, leaked: response.text.includes(value) ? value : null }).toEqual({ route, leaked: null });
    }
    expect(response.status).toBeLessThan(500);
    return response;
  }

  function expectNotFound(route: string, response: Response): void {
    check(route, response);
    expect({ route, status: response.status }).toEqual({ route, status: 404 });
  }

  beforeAll(async () => {
    // No scheduler: the seeded connections' run history must stay exactly as seeded, however long the file takes.
    t = await startTestApp({ SYNC_ENABLED: 'false' });
    a = await organizationToken(t, undefined, 'Org A');
    b = await organizationToken(t, undefined, 'Org B');
    const seededA = await seed(a.token, false);
    const seededB = await seed(b.token, true);
    [aMemberId] = seededA.memberIds as [string];
    [aGroupId] = seededA.groupIds as [string];
    [bMemberId] = seededB.memberIds as [string];
    [bGroupId] = seededB.groupIds as [string];
    bIds.push(b.organizationId, ...seededB.memberIds, ...seededB.groupIds);
    [aSync, bSync] = await Promise.all([seedSyncRuns(a.organizationId, false), seedSyncRuns(b.organizationId, true)]);
    bSnapshot = await snapshot(b.token);
    bRunsSnapshot = (await as(bSync.token).get('/api/v1/sync/runs?limit=500')).text;
  });
  afterAll(() => t.close());

  it('GET /api/v1/organization answers with A, whatever the request says about B', async () => {
    const response = check(
      'GET /api/v1/organization',
      await as(a.token).get(`/api/v1/organization`).set('x-organization-id', b.organizationId).set('x-org-id', b.organizationId),
    );
    expect(response.body.id).toBe(a.organizationId);
    // This route takes no query at all: an organization named there is ignored.
    const overridden = check('GET /api/v1/organization', await as(a.token).get(`/api/v1/organization?organization_id=${b.organizationId}`));
    expect(overridden.body.id).toBe(a.organizationId);
  });

  it('GET lists show A’s records only, with every filter', async () => {
    for (const query of [
      '',
      '?include_deleted=true',
      '?email=ada%40shared.example',
      '?updated_since=2000-01-01T00:00:00Z',
      '?active=true',
    ]) {
      const members = check('GET /api/v1/members', await as(a.token).get(`/api/v1/members${query}`));
      expect(members.status).toBe(200);
      expect(members.body.data.length).toBeGreaterThan(0);
    }
    for (const query of ['', '?include_deleted=true', '?external_id=ext-Engineering', '?updated_since=2000-01-01T00:00:00Z']) {
      const groups = check('GET /api/v1/groups', await as(a.token).get(`/api/v1/groups${query}`));
      expect(groups.status).toBe(200);
    }
    const members = await as(a.token).get(`/api/v1/groups/${aGroupId}/members`);
    check('GET /api/v1/groups/:id/members', members);
    expect(members.body.data).toHaveLength(3);
  });

  it('GET /api/v1/sync/runs shows A’s runs only, whatever the request says about B', async () => {
    for (const query of ['', '?limit=1', `?connection_id=${aSync.connectionId}`]) {
      const runs = check(
        'GET /api/v1/sync/runs',
        await as(aSync.token).get(`/api/v1/sync/runs${query}`).set('x-organization-id', b.organizationId),
      );
      expect(runs.status).toBe(200);
      const data = runs.body.data as { organization_id: string; connection_id: string }[];
      expect(data.length).toBeGreaterThan(0);
      expect(data.every((run) => run.organization_id === a.organizationId && run.connection_id === aSync.connectionId)).toBe(true);
    }
    const overridden = check('GET /api/v1/sync/runs', await as(aSync.token).get(`/api/v1/sync/runs?organization_id=${b.organizationId}`));
    expect(overridden.status).toBe(400);
  });

  it('answers B’s sync connection ID with 404, exactly like an ID that does not exist', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    const forB = await as(aSync.token).get(`/api/v1/sync/runs?connection_id=${bSync.connectionId}`);
    const forNobody = await as(aSync.token).get(`/api/v1/sync/runs?connection_id=${unknown}`);
    expectNotFound('GET /api/v1/sync/runs', forB);
    expect(forB.body.detail.replace(bSync.connectionId, 'X')).toBe(forNobody.body.detail.replace(unknown, 'X'));
  });

  it('answers B’s IDs with 404 on every verb, exactly like IDs that do not exist', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    for (const [route, call] of [
      ['GET /api/v1/members/:id', (id: string) => as(a.token).get(`/api/v1/members/${id}`)],
      ['PATCH /api/v1/members/:id', (id: string) => as(a.token).patch(`/api/v1/members/${id}`).send({ title: 'hijack' })],
      ['DELETE /api/v1/members/:id', (id: string) => as(a.token).delete(`/api/v1/members/${id}`)],
    ] as const) {
      const forB = await call(bMemberId);
      const forNobody = await call(unknown);
      expectNotFound(route, forB);
      expect(forB.body.detail.replace(bMemberId, 'X')).toBe(forNobody.body.detail.replace(unknown, 'X'));
    }
    for (const [route, call] of [
      ['GET /api/v1/groups/:id', (id: string) => as(a.token).get(`/api/v1/groups/${id}`)],
      ['GET /api/v1/groups/:id/members', (id: string) => as(a.token).get(`/api/v1/groups/${id}/members`)],
      ['PATCH /api/v1/groups/:id', (id: string) => as(a.token).patch(`/api/v1/groups/${id}`).send({ display_name: 'hijack' })],
      ['DELETE /api/v1/groups/:id', (id: string) => as(a.token).delete(`/api/v1/groups/${id}`)],
    ] as const) {
      const forB = await call(bGroupId);
      const forNobody = await call(unknown);
      expectNotFound(route, forB);
      expect(forB.body.detail.replace(bGroupId, 'X')).toBe(forNobody.body.detail.replace(unknown, 'X'));
    }
  });

  it('refuses organization overrides in bodies and queries', async () => {
    const post = await as(a.token).post('/api/v1/members').send({ user_name: 'intruder', organization_id: b.organizationId });
    check('POST /api/v1/members', post);
    expect(post.status).toBe(400);
    const group = await as(a.token).post('/api/v1/groups').send({ display_name: 'intruders', organization_id: b.organizationId });
    check('POST /api/v1/groups', group);
    expect(group.status).toBe(400);
    const list = await as(a.token).get(`/api/v1/members?organization_id=${b.organizationId}`);
    expect(list.status).toBe(400);
  });

  it('creates in A even with B named in headers, and never links B’s members into A’s groups', async () => {
    const created = await as(a.token).post('/api/v1/members').set('x-organization-id', b.organizationId).send({ user_name: 'newcomer' });
    check('POST /api/v1/members', created);
    expect(created.status).toBe(201);
    expect((await as(b.token).get(`/api/v1/members/${created.body.id}`)).status).toBe(404);

    const withB = await as(a.token)
      .post('/api/v1/groups')
      .send({ display_name: 'mixed', member_ids: [aMemberId, bMemberId] });
    check('POST /api/v1/groups', withB);
    const withUnknown = await as(a.token)
      .post('/api/v1/groups')
      .send({ display_name: 'mixed', member_ids: [aMemberId, '01900000-0000-7000-8000-000000000000'] });
    expect(withB.status).toBe(400);
    expect(withB.body.errors).toEqual(withUnknown.body.errors);

    const patched = await as(a.token)
      .patch(`/api/v1/groups/${aGroupId}`)
      .send({ member_ids: [bMemberId] });
    check('PATCH /api/v1/groups/:id', patched);
    expect(patched.status).toBe(400);
  });

  it('refuses B’s cursors', async () => {
    const bPage = await as(b.token).get('/api/v1/members?limit=1');
    const members = await as(a.token).get(`/api/v1/members?limit=1&cursor=${encodeURIComponent(bPage.body.next_cursor)}`);
    check('GET /api/v1/members', members);
    expect(members.status).toBe(400);
    const bGroups = await as(b.token).get('/api/v1/groups?limit=1');
    const groups = await as(a.token).get(`/api/v1/groups?limit=1&cursor=${encodeURIComponent(bGroups.body.next_cursor)}`);
    check('GET /api/v1/groups', groups);
    expect(groups.status).toBe(400);
    const bRuns = await as(bSync.token).get('/api/v1/sync/runs?limit=1');
    const runs = await as(aSync.token).get(`/api/v1/sync/runs?limit=1&cursor=${encodeURIComponent(bRuns.body.next_cursor)}`);
    check('GET /api/v1/sync/runs', runs);
    expect(runs.status).toBe(400);
  });

  it('marks every answer private to its caller for caches', async () => {
    for (const path of [
      '/api/v1/organization',
      '/api/v1/members',
      `/api/v1/members/${aMemberId}`,
      '/api/v1/groups',
      `/api/v1/groups/${aGroupId}`,
    ]) {
      const response = await as(a.token).get(path);
      expect({ path, cacheControl: response.headers['cache-control'] }).toEqual({ path, cacheControl: 'no-store' });
      expect(response.headers['vary']).toMatch(/authorization/i);
    }
    const runs = await as(aSync.token).get('/api/v1/sync/runs');
    expect(runs.headers['cache-control']).toBe('no-store');
    expect(runs.headers['vary']).toMatch(/authorization/i);
  });

  it('left B’s data exactly as it was', async () => {
    expect(await snapshot(b.token)).toBe(bSnapshot);
    expect((await as(bSync.token).get('/api/v1/sync/runs?limit=500')).text).toBe(bRunsSnapshot);
  });

  it('exercised every route of the organization APIs', () => {
    const apiRoutes = routesOf(t)
      .filter((route) => route.path.startsWith('/api/'))
      .map((route) => `${route.method} ${route.path}`);
    expect(apiRoutes.filter((route) => !exercised.has(route))).toEqual([]);
  });
});

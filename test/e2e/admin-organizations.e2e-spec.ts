import { adminToken, createClient, createOrganization, expectProblem, obtainToken, requestToken } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface OrganizationBody {
  id: string;
  name: string;
  platform: boolean;
  created_at: string;
  updated_at: string;
}

interface OrganizationPage {
  data: OrganizationBody[];
  next_cursor: string | null;
}

describe('the admin organizations API', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  const listPage = (query: Record<string, string | number>) =>
    t.http().get('/admin/organizations').query(query).auth(admin, { type: 'bearer' });

  describe('creating and reading', () => {
    it('creates an ordinary organization and returns exactly its public fields', async () => {
      const before = Date.now();
      const response = await t.http().post('/admin/organizations').auth(admin, { type: 'bearer' }).send({ name: 'Globex' });

      expect(response.status).toBe(201);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.body as OrganizationBody;
      expect(Object.keys(body).sort()).toEqual(['created_at', 'id', 'name', 'platform', 'updated_at']);
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        name: 'Globex',
        platform: false,
        created_at: body.updated_at,
        updated_at: expect.any(String),
      });
      expect(Date.parse(body.created_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(body.created_at)).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('creates a platform organization when asked to', async () => {
      const response = await t.http().post('/admin/organizations').auth(admin, { type: 'bearer' }).send({ name: 'Ops', platform: true });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: 'Ops', platform: true });
    });

    it('returns an organization by id exactly as it was created', async () => {
      const created = await createOrganization(t, admin, 'Initech');

      const response = await t.http().get(`/admin/organizations/${created.id}`).auth(admin, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual(created);
    });

    it('answers 404 with a problem document for an organization that does not exist', async () => {
      const missing = '01900000-0000-7000-8000-000000000000';
      const response = await t.http().get(`/admin/organizations/${missing}`).auth(admin, { type: 'bearer' });

      const problem = expectProblem(response, 404, 'not_found');
      expect(problem.instance).toBe(`/admin/organizations/${missing}`);
      expect(problem.detail).toBe(`Organization ${missing} was not found.`);
    });

    it('answers 404, never a server error, for ids that are not UUIDs', async () => {
      for (const id of ['nope', 'x'.repeat(200), '%E2%82%AC', "1'%20OR%20'1'='1"]) {
        const response = await t.http().get(`/admin/organizations/${id}`).auth(admin, { type: 'bearer' });
        expectProblem(response, 404, 'not_found');
      }
      expectProblem(await t.http().get('/admin/organizations/%00').auth(admin, { type: 'bearer' }), 400, 'bad_url');
    });
  });

  describe('validating a new organization', () => {
    const create = (body: unknown) =>
      t
        .http()
        .post('/admin/organizations')
        .auth(admin, { type: 'bearer' })
        .send(body as object);

    it.each([
      ['a missing name', {}, 'name', 'name must be a string'],
      ['an empty name', { name: '' }, 'name', 'name must not be empty'],
      ['a name over 200 characters', { name: 'n'.repeat(201) }, 'name', 'name must be at most 200 characters'],
      ['a name with control characters', { name: 'Evil\u0000Corp' }, 'name', 'name must not contain control characters'],
      ['a name that is not a string', { name: 42 }, 'name', 'name must be a string'],
      ['a platform flag that is not a boolean', { name: 'Acme', platform: 'yes' }, 'platform', 'platform must be true or false'],
      ['an unknown field', { name: 'Acme', tier: 'gold' }, 'tier', 'tier is not a known field'],
    ])('refuses %s with a field error', async (_case, body, field, message) => {
      const response = await create(body);

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toContainEqual({ field, message });
      expect(problem.errors?.every((error) => error.field === field)).toBe(true);
    });

    it('accepts a name of exactly 200 characters', async () => {
      const response = await create({ name: 'n'.repeat(200) });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: 'n'.repeat(200) });
    });

    it('refuses a JSON array as the body', async () => {
      const response = await create([{ name: 'Acme' }]);

      expectProblem(response, 400, 'validation_failed');
    });
  });

  describe('listing with cursor pagination', () => {
    it('walks every organization exactly once, in creation order, page by page', async () => {
      const created: string[] = [];
      for (let i = 0; i < 7; i++) created.push((await createOrganization(t, admin, `Paged ${i}`)).id);
      const everything = (await listPage({ limit: 200 })).body as OrganizationPage;
      expect(everything.next_cursor).toBeNull();

      const walked: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | null = null;
      do {
        const response = await listPage(cursor === null ? { limit: 3 } : { limit: 3, cursor });
        expect(response.status).toBe(200);
        const page = response.body as OrganizationPage;
        pageSizes.push(page.data.length);
        walked.push(...page.data.map((organization) => organization.id));
        cursor = page.next_cursor;
      } while (cursor !== null);

      expect(walked).toEqual(everything.data.map((organization) => organization.id));
      expect(new Set(walked).size).toBe(walked.length);
      expect(walked.filter((id) => created.includes(id))).toEqual(created);
      expect(pageSizes.slice(0, -1).every((size) => size === 3)).toBe(true);
      expect(pageSizes.at(-1)).toBeGreaterThanOrEqual(1);
      expect(pageSizes.at(-1)).toBeLessThanOrEqual(3);
    });

    it('returns no cursor when the last page is exactly full', async () => {
      const total = ((await listPage({ limit: 200 })).body as OrganizationPage).data.length;

      const response = await listPage({ limit: total });

      expect((response.body as OrganizationPage).data).toHaveLength(total);
      expect((response.body as OrganizationPage).next_cursor).toBeNull();
    });

    it('defaults to pages of 50', async () => {
      for (let i = 0; i < 45; i++) await createOrganization(t, admin, `Bulk ${i}`);

      const response = await t.http().get('/admin/organizations').auth(admin, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect((response.body as OrganizationPage).data).toHaveLength(50);
      expect((response.body as OrganizationPage).next_cursor).toEqual(expect.any(String));
    });

    it('accepts the smallest page, one organization', async () => {
      const response = await listPage({ limit: 1 });

      expect(response.status).toBe(200);
      expect((response.body as OrganizationPage).data).toHaveLength(1);
      expect((response.body as OrganizationPage).next_cursor).toEqual(expect.any(String));
    });

    it('accepts the largest page, 200 organizations', async () => {
      const response = await listPage({ limit: 200 });

      expect(response.status).toBe(200);
      const page = response.body as OrganizationPage;
      expect(page.data.length).toBeGreaterThan(50);
      expect(page.data.length).toBeLessThanOrEqual(200);
    });

    it.each([
      ['0', 'limit must be between 1 and 200'],
      ['201', 'limit must be between 1 and 200'],
      ['-5', 'limit must be between 1 and 200'],
      ['2.5', 'limit must be a whole number'],
      ['ten', 'limit must be a whole number'],
      ['', 'limit must be between 1 and 200'],
    ])('refuses limit=%j with a field error', async (limit, message) => {
      const response = await t.http().get(`/admin/organizations?limit=${limit}`).auth(admin, { type: 'bearer' });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toContainEqual({ field: 'limit', message });
    });

    it.each([
      ['garbage', 'not-a-cursor!'],
      ['base64url of something else', Buffer.from('{"before":"x"}').toString('base64url')],
      ['base64url of a number', Buffer.from('42').toString('base64url')],
      ['forged to hold a NUL byte', Buffer.from('{"after":"\\u0000"}').toString('base64url')],
      ['forged to hold something other than an id', Buffer.from('{"after":"zzz"}').toString('base64url')],
    ])('refuses a cursor that is %s', async (_case, cursor) => {
      const response = await listPage({ cursor });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toEqual([{ field: 'cursor', message: 'cursor is not a cursor this API returned' }]);
    });

    it('refuses a cursor that is too long', async () => {
      const response = await listPage({ cursor: 'a'.repeat(513) });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.field)).toEqual(['cursor']);
    });

    it('refuses an unknown query parameter', async () => {
      const response = await listPage({ sort: 'name' });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toEqual([{ field: 'sort', message: 'sort is not a known field' }]);
    });
  });

  describe('deleting', () => {
    it('hides a deleted organization from reads, lists and a second delete', async () => {
      const organization = await createOrganization(t, admin, 'Doomed');

      const deleted = await t.http().delete(`/admin/organizations/${organization.id}`).auth(admin, { type: 'bearer' });

      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(await t.http().get(`/admin/organizations/${organization.id}`).auth(admin, { type: 'bearer' }), 404, 'not_found');
      expectProblem(await t.http().delete(`/admin/organizations/${organization.id}`).auth(admin, { type: 'bearer' }), 404, 'not_found');
      const listed = ((await listPage({ limit: 200 })).body as OrganizationPage).data.map((o) => o.id);
      expect(listed).not.toContain(organization.id);
    });

    it("closes its clients' access: no new tokens, and tokens already issued are refused", async () => {
      const organization = await createOrganization(t, admin, 'Closing Down');
      const client = await createClient(t, admin, organization.id);
      const token = await obtainToken(t, client.client_id, client.client_secret, 'org:read');
      expect((await t.http().get('/api/v1/organization').auth(token, { type: 'bearer' })).status).toBe(200);

      await t.http().delete(`/admin/organizations/${organization.id}`).auth(admin, { type: 'bearer' }).expect(204);

      const tokenRequest = await requestToken(t, client.client_id, client.client_secret);
      expect(tokenRequest.status).toBe(401);
      expect(tokenRequest.body).toMatchObject({ error: 'invalid_client' });
      expect(tokenRequest.body).not.toHaveProperty('access_token');
      const call = await t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });
      expectProblem(call, 401, 'invalid_token');
      expect(call.headers['www-authenticate']).toMatch(/^Bearer realm="orgsync", error="invalid_token"/);
    });

    it('refuses to create, list, read, change or rotate the clients of a deleted organization', async () => {
      const organization = await createOrganization(t, admin, 'Gone');
      const client = await createClient(t, admin, organization.id);
      await t.http().delete(`/admin/organizations/${organization.id}`).auth(admin, { type: 'bearer' }).expect(204);

      const created = await t
        .http()
        .post(`/admin/organizations/${organization.id}/clients`)
        .auth(admin, { type: 'bearer' })
        .send({ client_name: 'Late', scope: 'org:read' });
      const listed = await t.http().get(`/admin/organizations/${organization.id}/clients`).auth(admin, { type: 'bearer' });
      const read = await t.http().get(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' });
      const changed = await t.http().patch(`/admin/clients/${client.client_id}`).auth(admin, { type: 'bearer' }).send({ status: 'active' });
      const rotated = await t.http().post(`/admin/clients/${client.client_id}/secrets`).auth(admin, { type: 'bearer' }).send({});

      expectProblem(created, 404, 'not_found');
      expectProblem(listed, 404, 'not_found');
      expect(expectProblem(read, 404, 'not_found').detail).toBe(`Client ${client.client_id} was not found.`);
      expectProblem(changed, 404, 'not_found');
      expectProblem(rotated, 404, 'not_found');
      expect((await requestToken(t, client.client_id, client.client_secret)).body).toMatchObject({ error: 'invalid_client' });
    });
  });
});

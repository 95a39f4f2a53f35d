import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { SyncConnectionEntity } from '../../src/sync/connections/sync-connection.entity.js';
import { SyncConnectionsService } from '../../src/sync/connections/sync-connections.service.js';
import { adminToken, createOrganization, expectProblem, nonAdminToken } from '../support/factories.js';
import {
  createSyncConnection,
  insertSyncRun,
  type SyncConnectionBody,
  syncConnectionInput,
  syncReadToken,
  UPSTREAM_SECRET,
} from '../support/sync-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

interface RunBody {
  id: string;
  connection_id: string;
  organization_id: string;
  stats: unknown;
  [field: string]: unknown;
}

const CONNECTION_FIELDS = [
  'base_url',
  'client_id',
  'client_secret_set',
  'consecutive_failures',
  'created_at',
  'deletions_confirmed',
  'enabled',
  'full_sync_every',
  'id',
  'interval_seconds',
  'kind',
  'max_delete_percent',
  'name',
  'next_run_at',
  'organization_id',
  'resource',
  'scope',
  'token_endpoint_auth_method',
  'token_url',
  'updated_at',
  'watermark',
];

const RUN_FIELDS = [
  'connection_id',
  'error',
  'finished_at',
  'id',
  'mode',
  'organization_id',
  'pages',
  'queued_at',
  'resumed_at',
  'started_at',
  'stats',
  'status',
  'takeovers',
  'trigger',
];

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sync connections and run history', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  let dataSource: DataSource;
  /** The text of every response, to prove the upstream secret never appears in one. */
  const seen: string[] = [];

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) => t.http().post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http().patch(path).auth(token, { type: 'bearer' }).send(body),
    delete: (path: string) => t.http().delete(path).auth(token, { type: 'bearer' }),
  });
  const record = async (request: PromiseLike<Response>): Promise<Response> => {
    const response = await request;
    seen.push(response.text);
    return response;
  };
  const api = {
    create: (body: object, organization = organizationId) =>
      record(as(admin).post(`/admin/organizations/${organization}/sync-connections`, body)),
    list: (organization = organizationId, query = '') =>
      record(as(admin).get(`/admin/organizations/${organization}/sync-connections${query}`)),
    get: (id: string) => record(as(admin).get(`/admin/sync-connections/${id}`)),
    patch: (id: string, body: object) => record(as(admin).patch(`/admin/sync-connections/${id}`, body)),
    delete: (id: string) => record(as(admin).delete(`/admin/sync-connections/${id}`)),
    confirm: (id: string) => record(as(admin).post(`/admin/sync-connections/${id}/confirm-deletions`)),
    runs: (id: string, query = '') => record(as(admin).get(`/admin/sync-connections/${id}/runs${query}`)),
    run: (id: string) => record(as(admin).get(`/admin/sync-runs/${id}`)),
  };
  const create = async (overrides: Record<string, unknown> = {}, organization = organizationId): Promise<SyncConnectionBody> => {
    const connection = await createSyncConnection(t, admin, organization, overrides);
    seen.push(JSON.stringify(connection));
    return connection;
  };
  const rowOf = (id: string) => dataSource.getRepository(SyncConnectionEntity).findOneByOrFail({ id });
  const setState = (id: string, state: Partial<SyncConnectionEntity>) =>
    dataSource.getRepository(SyncConnectionEntity).update({ id }, state);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin)).id;
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('creating a connection', () => {
    it('answers 201 with the settings, the defaults and a fresh sync state, never the secret', async () => {
      const before = Date.now();
      const response = await api.create(syncConnectionInput());

      expect(response.status).toBe(201);
      expect(Object.keys(response.body as object).sort()).toEqual(CONNECTION_FIELDS);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID_V7),
        organization_id: organizationId,
        name: 'Workday via SCIM',
        kind: 'scim',
        base_url: 'https://scim.example.com/scim/v2',
        token_url: 'https://login.example.com/oauth2/token',
        client_id: 'orgsync-worker',
        client_secret_set: true,
        token_endpoint_auth_method: 'client_secret_basic',
        scope: null,
        resource: null,
        interval_seconds: 3600,
        full_sync_every: 24,
        max_delete_percent: 20,
        enabled: true,
        watermark: null,
        next_run_at: expect.any(String),
        consecutive_failures: 0,
        deletions_confirmed: false,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const body = response.body as { next_run_at: string; created_at: string };
      // Due at once.
      expect(Date.parse(body.next_run_at)).toBe(Date.parse(body.created_at));
      expect(Date.parse(body.next_run_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(body.next_run_at)).toBeLessThanOrEqual(Date.now());
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('stores the client secret encrypted, and only the service decrypts it', async () => {
      const connection = await create();
      // The row as stored, read past the entity.
      const row = (await dataSource
        .createQueryBuilder()
        .select([
          'c.client_secret AS client_secret',
          'c.runs_since_full AS runs_since_full',
          'c.lease_token AS lease_token',
          'c.lease_owner AS lease_owner',
        ])
        .from('sync_connections', 'c')
        .where('c.id = :id', { id: connection.id })
        .getRawOne()) as { client_secret: string; runs_since_full: number; lease_token: number; lease_owner: string | null };

      expect(row.client_secret.startsWith('v1.')).toBe(true);
      expect(row.client_secret).not.toContain(UPSTREAM_SECRET);
      expect(Number(row.runs_since_full)).toBe(0);
      expect(Number(row.lease_token)).toBe(0);
      expect(row.lease_owner).toBeNull();
      expect(t.app.get(SyncConnectionsService).credentialsOf(await rowOf(connection.id))).toEqual({
        tokenUrl: 'https://login.example.com/oauth2/token',
        clientId: 'orgsync-worker',
        clientSecret: UPSTREAM_SECRET,
        tokenEndpointAuthMethod: 'client_secret_basic',
        scope: null,
        resource: null,
      });
    });

    it('seals the same secret differently each time', async () => {
      const [first, second] = [await create(), await create()];
      expect((await rowOf(first.id)).clientSecret).not.toBe((await rowOf(second.id)).clientSecret);
    });

    it('accepts every optional setting', async () => {
      const connection = await create({
        kind: 'scim',
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'scim.read scim.groups',
        resource: 'https://scim.example.com',
        interval_seconds: 60,
        full_sync_every: 1000,
        max_delete_percent: 0,
        enabled: false,
        base_url: `https://scim.example.com/${'a'.repeat(2048 - 'https://scim.example.com/'.length)}`,
        token_url: 'http://127.0.0.1:8080/token?tenant=acme',
      });

      expect(connection).toMatchObject({
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'scim.read scim.groups',
        resource: 'https://scim.example.com',
        interval_seconds: 60,
        full_sync_every: 1000,
        max_delete_percent: 0,
        enabled: false,
        token_url: 'http://127.0.0.1:8080/token?tenant=acme',
      });
      expect(connection.base_url).toHaveLength(2048);
    });

    it.each([
      ['a missing name', { name: undefined }, 'name', 'name must be a string'],
      ['an empty name', { name: '' }, 'name', 'name must not be empty'],
      ['a name with a control character', { name: 'a\u0007b' }, 'name', 'name must not contain control characters'],
      ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name', 'name must be at most 200 characters'],
      ['an unknown kind', { kind: 'ldap' }, 'kind', 'kind must be one of scim'],
      ['a missing base_url', { base_url: undefined }, 'base_url', 'base_url must be a string'],
      ['a base_url that is a number', { base_url: 42 }, 'base_url', 'base_url must be a string'],
      ['a relative base_url', { base_url: '/scim/v2' }, 'base_url', 'base_url must be an absolute http or https URL'],
      ['a base_url without a scheme', { base_url: 'scim.example.com/v2' }, 'base_url', 'base_url must be an absolute http or https URL'],
      ['an ftp base_url', { base_url: 'ftp://scim.example.com' }, 'base_url', 'base_url must be an absolute http or https URL'],
      ['a javascript: base_url', { base_url: 'javascript:alert(1)' }, 'base_url', 'base_url must be an absolute http or https URL'],
      ['a base_url without slashes', { base_url: 'https:scim.example.com' }, 'base_url', 'base_url must be an absolute http or https URL'],
      ['a base_url without a host', { base_url: 'https:///v2' }, 'base_url', 'base_url must name a host'],
      ['a base_url with a port but no host', { base_url: 'https://:443/v2' }, 'base_url', 'base_url must name a host'],
      [
        'a base_url with a user and password',
        { base_url: 'https://user:pass@scim.example.com' },
        'base_url',
        'base_url must not contain a user name or password',
      ],
      [
        'a base_url with a user',
        { base_url: 'https://user@scim.example.com' },
        'base_url',
        'base_url must not contain a user name or password',
      ],
      [
        'a base_url with an empty userinfo',
        { base_url: 'https://@scim.example.com' },
        'base_url',
        'base_url must not contain a user name or password',
      ],
      [
        'a base_url with a fragment',
        { base_url: 'https://scim.example.com/v2#users' },
        'base_url',
        'base_url must not have a fragment (#...)',
      ],
      [
        'a base_url with an empty fragment',
        { base_url: 'https://scim.example.com/#' },
        'base_url',
        'base_url must not have a fragment (#...)',
      ],
      [
        'a base_url with a space',
        { base_url: 'https://scim.example.com/a b' },
        'base_url',
        'base_url must not contain whitespace, control characters or backslashes',
      ],
      [
        'a base_url with a tab the URL parser would drop',
        { base_url: 'https://scim.exa\tmple.com' },
        'base_url',
        'base_url must not contain whitespace, control characters or backslashes',
      ],
      [
        'a base_url with a backslash',
        { base_url: 'https://evil.example\\@scim.example.com' },
        'base_url',
        'base_url must not contain whitespace, control characters or backslashes',
      ],
      [
        'a base_url with a bad port',
        { base_url: 'https://scim.example.com:99999' },
        'base_url',
        'base_url must be an absolute http or https URL',
      ],
      [
        'a base_url of 2049 characters',
        { base_url: `https://scim.example.com/${'a'.repeat(2049 - 'https://scim.example.com/'.length)}` },
        'base_url',
        'base_url must be at most 2048 characters',
      ],
      ['a missing token_url', { token_url: undefined }, 'token_url', 'token_url must be a string'],
      [
        'a token_url with credentials',
        { token_url: 'https://a:b@login.example.com/token' },
        'token_url',
        'token_url must not contain a user name or password',
      ],
      [
        'a token_url with a fragment',
        { token_url: 'https://login.example.com/token#x' },
        'token_url',
        'token_url must not have a fragment (#...)',
      ],
      ['a file: token_url', { token_url: 'file:///etc/passwd' }, 'token_url', 'token_url must be an absolute http or https URL'],
      ['a resource that is not a URL', { resource: 'scim' }, 'resource', 'resource must be an absolute http or https URL'],
      ['a resource with a fragment', { resource: 'https://scim.example.com#x' }, 'resource', 'resource must not have a fragment (#...)'],
      ['a missing client_id', { client_id: undefined }, 'client_id', 'client_id must be a string'],
      ['an empty client_id', { client_id: '' }, 'client_id', 'client_id must not be empty'],
      [
        'a client_id beyond ASCII',
        { client_id: 'clé' },
        'client_id',
        'client_id may only contain printable ASCII characters (RFC 6749 appendix A)',
      ],
      ['a client_id of 256 characters', { client_id: 'c'.repeat(256) }, 'client_id', 'client_id must be at most 255 characters'],
      ['a missing client_secret', { client_secret: undefined }, 'client_secret', 'client_secret must be a string'],
      ['an empty client_secret', { client_secret: '' }, 'client_secret', 'client_secret must not be empty'],
      [
        'a client_secret of 1001 characters',
        { client_secret: 's'.repeat(1001) },
        'client_secret',
        'client_secret must be at most 1000 characters',
      ],
      [
        'a client_secret with a newline',
        { client_secret: 'abc\ndef' },
        'client_secret',
        'client_secret may only contain printable ASCII characters (RFC 6749 appendix A)',
      ],
      [
        'an unknown token_endpoint_auth_method',
        { token_endpoint_auth_method: 'private_key_jwt' },
        'token_endpoint_auth_method',
        'token_endpoint_auth_method must be one of client_secret_basic, client_secret_post',
      ],
      [
        'a scope with a double space',
        { scope: 'a  b' },
        'scope',
        'scope must be scope tokens separated by single spaces (RFC 6749 section 3.3)',
      ],
      ['a scope with a quote', { scope: 'a"b' }, 'scope', 'scope must be scope tokens separated by single spaces (RFC 6749 section 3.3)'],
      ['an empty scope', { scope: '' }, 'scope', 'scope must be scope tokens separated by single spaces (RFC 6749 section 3.3)'],
      [
        'an interval under a minute',
        { interval_seconds: 59 },
        'interval_seconds',
        'interval_seconds must be a whole number of seconds from 60 to 86400',
      ],
      [
        'an interval over a day',
        { interval_seconds: 86_401 },
        'interval_seconds',
        'interval_seconds must be a whole number of seconds from 60 to 86400',
      ],
      [
        'a fractional interval',
        { interval_seconds: 60.5 },
        'interval_seconds',
        'interval_seconds must be a whole number of seconds from 60 to 86400',
      ],
      [
        'an interval given as text',
        { interval_seconds: '3600' },
        'interval_seconds',
        'interval_seconds must be a whole number of seconds from 60 to 86400',
      ],
      ['full_sync_every of 0', { full_sync_every: 0 }, 'full_sync_every', 'full_sync_every must be a whole number from 1 to 1000'],
      ['full_sync_every of 1001', { full_sync_every: 1001 }, 'full_sync_every', 'full_sync_every must be a whole number from 1 to 1000'],
      [
        'a negative max_delete_percent',
        { max_delete_percent: -1 },
        'max_delete_percent',
        'max_delete_percent must be a whole number from 0 to 100',
      ],
      [
        'max_delete_percent over 100',
        { max_delete_percent: 101 },
        'max_delete_percent',
        'max_delete_percent must be a whole number from 0 to 100',
      ],
      ['enabled given as text', { enabled: 'yes' }, 'enabled', 'enabled must be true or false'],
      ['a watermark (sync state)', { watermark: '2026-01-01T00:00:00Z' }, 'watermark', 'watermark is not a known field'],
      ['a next_run_at (sync state)', { next_run_at: '2026-01-01T00:00:00Z' }, 'next_run_at', 'next_run_at is not a known field'],
      [
        'deletions_confirmed (sync state)',
        { deletions_confirmed: true },
        'deletions_confirmed',
        'deletions_confirmed is not a known field',
      ],
      ['an organization_id', { organization_id: UNKNOWN_ID }, 'organization_id', 'organization_id is not a known field'],
    ])('refuses %s with a 400 naming the field, and creates nothing', async (_case, overrides, field, message) => {
      const before = ((await api.list(organizationId, '?limit=200')).body as Page<SyncConnectionBody>).data.length;
      const response = await api.create(syncConnectionInput(overrides));

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(problem.errors).toContainEqual({ field, message });
      expect(problem.errors!.every((error) => error.field === field)).toBe(true);
      expect(((await api.list(organizationId, '?limit=200')).body as Page<SyncConnectionBody>).data).toHaveLength(before);
    });

    it('names every bad field at once', async () => {
      const response = await api.create({
        name: '',
        base_url: 'ftp://x',
        token_url: 'https://u@x',
        client_id: '',
        client_secret: '',
        kind: 'ldap',
      });

      const problem = expectProblem(response, 400, 'validation_failed');
      expect(new Set(problem.errors!.map((error) => error.field))).toEqual(
        new Set(['name', 'base_url', 'token_url', 'client_id', 'client_secret', 'kind']),
      );
    });

    it.each([
      ['an organization that does not exist', UNKNOWN_ID],
      ['an ID that is not a UUID', 'not-a-uuid'],
    ])('answers 404 for %s', async (_case, organization) => {
      expectProblem(await api.create(syncConnectionInput(), organization), 404, 'not_found');
      expectProblem(await api.list(organization), 404, 'not_found');
    });
  });

  describe('listing an organization’s connections', () => {
    it('walks the pages oldest first, each connection once, without other organizations’ connections', async () => {
      const own = (await createOrganization(t, admin, 'Lister')).id;
      const other = (await createOrganization(t, admin, 'Other')).id;
      const created = [await create({ name: 'One' }, own), await create({ name: 'Two' }, own), await create({ name: 'Three' }, own)];
      await create({ name: 'Elsewhere' }, other);

      const walked: SyncConnectionBody[] = [];
      let cursor: string | null = null;
      do {
        const response = await api.list(own, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(response.status).toBe(200);
        const page = response.body as Page<SyncConnectionBody>;
        expect(page.data.length).toBeLessThanOrEqual(2);
        walked.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);

      expect(walked.map((c) => c.id)).toEqual(created.map((c) => c.id));
      expect(Object.keys(walked[0]!).sort()).toEqual(CONNECTION_FIELDS);
    });

    it.each(['?cursor=garbage', '?limit=0', '?limit=201', '?organization_id=x'])('refuses %s with 400', async (query) => {
      expectProblem(await api.list(organizationId, query), 400, 'validation_failed');
    });
  });

  describe('reading a connection', () => {
    it('answers with what the list and the create showed', async () => {
      const connection = await create();
      const response = await api.get(connection.id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(connection);
    });

    it.each([UNKNOWN_ID, 'not-a-uuid'])('answers 404 for %j', async (id) => {
      expectProblem(await api.get(encodeURIComponent(id)), 404, 'not_found');
    });

    it('answers 400 for an ID with a NUL character, which no ID can hold', async () => {
      expectProblem(await api.get(encodeURIComponent(`${UNKNOWN_ID}\u0000`)), 400, 'bad_url');
    });
  });

  describe('changing a connection', () => {
    it('changes the fields given and keeps the others', async () => {
      const connection = await create({ scope: 'scim.read', resource: 'https://scim.example.com' });
      const response = await api.patch(connection.id, {
        name: 'Renamed',
        interval_seconds: 900,
        full_sync_every: 4,
        max_delete_percent: 50,
        enabled: false,
        token_endpoint_auth_method: 'client_secret_post',
      });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...connection,
        name: 'Renamed',
        interval_seconds: 900,
        full_sync_every: 4,
        max_delete_percent: 50,
        enabled: false,
        token_endpoint_auth_method: 'client_secret_post',
        updated_at: expect.any(String),
      });
      expect(Date.parse((response.body as { updated_at: string }).updated_at)).toBeGreaterThanOrEqual(
        Date.parse(connection.updated_at as string),
      );
      expect(await api.get(connection.id)).toMatchObject({ body: response.body });
    });

    it('clears scope and resource with null', async () => {
      const connection = await create({ scope: 'scim.read', resource: 'https://scim.example.com' });
      const response = await api.patch(connection.id, { scope: null, resource: null });
      expect(response.body).toMatchObject({ scope: null, resource: null });
    });

    it('replaces the secret, sealed anew, without returning it', async () => {
      const connection = await create();
      const sealedBefore = (await rowOf(connection.id)).clientSecret;
      const response = await api.patch(connection.id, { client_secret: 'another-upstream-secret-77', client_id: 'worker-2' });

      expect(response.status).toBe(200);
      expect(response.text).not.toContain('another-upstream-secret-77');
      expect(response.body).toMatchObject({ client_id: 'worker-2', client_secret_set: true });
      const row = await rowOf(connection.id);
      expect(row.clientSecret).not.toBe(sealedBefore);
      expect(row.clientSecret.startsWith('v1.')).toBe(true);
      expect(t.app.get(SyncConnectionsService).credentialsOf(row)).toMatchObject({
        clientId: 'worker-2',
        clientSecret: 'another-upstream-secret-77',
      });
    });

    it('keeps the watermark when the credentials, the token endpoint or the kind change', async () => {
      const connection = await create();
      const watermark = new Date('2026-01-15T10:00:00.000Z');
      await setState(connection.id, { watermark, runsSinceFull: 5, deletionsConfirmed: true });

      const response = await api.patch(connection.id, {
        kind: 'scim',
        token_url: 'https://login2.example.com/token',
        client_id: 'rotated',
        client_secret: 'rotated-secret',
        scope: 'scim.all',
        // The same base URL is no new upstream.
        base_url: connection.base_url,
      });

      expect(response.body).toMatchObject({ watermark: watermark.toISOString(), deletions_confirmed: true });
      expect((await rowOf(connection.id)).runsSinceFull).toBe(5);
    });

    it('resets the watermark when base_url changes: a new upstream needs a full run', async () => {
      const connection = await create();
      await setState(connection.id, {
        watermark: new Date('2026-01-15T10:00:00.000Z'),
        runsSinceFull: 5,
        deletionsConfirmed: true,
        leaseOwner: 'worker-a',
        leaseExpiresAt: new Date(Date.now() + 60_000),
        leaseToken: 7,
      });

      const response = await api.patch(connection.id, { base_url: 'https://new-scim.example.com/v2' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ base_url: 'https://new-scim.example.com/v2', watermark: null, deletions_confirmed: false });
      const row = await rowOf(connection.id);
      expect(row.runsSinceFull).toBe(0);
      // A run in flight against the old upstream is fenced off: its lease token no longer matches.
      expect(row.leaseToken).toBe(8);
      expect(row.leaseOwner).toBe('worker-a');
    });

    it('leaves the sync state a worker owns alone', async () => {
      const connection = await create();
      const state = {
        watermark: new Date('2026-02-01T00:00:00.000Z'),
        runsSinceFull: 3,
        consecutiveFailures: 2,
        nextRunAt: new Date('2030-01-01T00:00:00.000Z'),
        leaseOwner: 'worker-b',
        leaseExpiresAt: new Date('2030-01-01T00:05:00.000Z'),
        leaseToken: 4,
      };
      await setState(connection.id, state);

      await api.patch(connection.id, { name: 'Renamed', interval_seconds: 120 });

      expect(await rowOf(connection.id)).toMatchObject(state);
    });

    it.each([
      ['a bad base_url', { base_url: 'https://u:p@x.example.com' }, 'base_url'],
      ['a null name', { name: null }, 'name'],
      ['a null base_url', { base_url: null }, 'base_url'],
      ['a null client_secret', { client_secret: null }, 'client_secret'],
      ['a null enabled', { enabled: null }, 'enabled'],
      ['an unknown kind', { kind: 'csv' }, 'kind'],
      ['an interval out of range', { interval_seconds: 10 }, 'interval_seconds'],
      ['a watermark', { watermark: null }, 'watermark'],
      ['consecutive_failures', { consecutive_failures: 0 }, 'consecutive_failures'],
    ])('refuses %s with 400 and changes nothing', async (_case, body, field) => {
      const connection = await create();
      const problem = expectProblem(await api.patch(connection.id, body), 400, 'validation_failed');
      expect([...new Set(problem.errors!.map((error) => error.field))]).toEqual([field]);
      expect((await api.get(connection.id)).body).toEqual(connection);
    });

    it('answers 404 for a connection that does not exist', async () => {
      expectProblem(await api.patch(UNKNOWN_ID, { name: 'x' }), 404, 'not_found');
    });
  });

  describe('confirming deletions', () => {
    it('lets the next full run delete past the circuit breaker, answering 200 with the connection', async () => {
      const connection = await create();
      const response = await api.confirm(connection.id);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ...connection, deletions_confirmed: true, updated_at: expect.any(String) });
      expect((await rowOf(connection.id)).deletionsConfirmed).toBe(true);
      // Confirming twice is harmless.
      expect((await api.confirm(connection.id)).body).toMatchObject({ deletions_confirmed: true });
    });

    it('answers 404 for a connection that does not exist', async () => {
      expectProblem(await api.confirm(UNKNOWN_ID), 404, 'not_found');
    });
  });

  describe('deleting a connection', () => {
    it('answers 204, then 404 everywhere, keeping the row as a tombstone', async () => {
      const connection = await create();
      const run = await insertSyncRun(dataSource, connection);

      const response = await api.delete(connection.id);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');

      expectProblem(await api.get(connection.id), 404, 'not_found');
      expectProblem(await api.patch(connection.id, { name: 'Zombie' }), 404, 'not_found');
      expectProblem(await api.confirm(connection.id), 404, 'not_found');
      expectProblem(await api.delete(connection.id), 404, 'not_found');
      expectProblem(await api.runs(connection.id), 404, 'not_found');
      expectProblem(await api.run(run.id), 404, 'not_found');
      const listed = (await api.list(organizationId, '?limit=200')).body as Page<SyncConnectionBody>;
      expect(listed.data.map((c) => c.id)).not.toContain(connection.id);

      const row = await rowOf(connection.id);
      expect(row.deletedAt).toBeInstanceOf(Date);
      expect(row.name).toBe(connection.name);
    });

    it('takes an organization’s connections with the organization', async () => {
      const doomed = (await createOrganization(t, admin, 'Doomed')).id;
      const connection = await create({}, doomed);
      const run = await insertSyncRun(dataSource, connection);
      await as(admin).delete(`/admin/organizations/${doomed}`).expect(204);

      expectProblem(await api.get(connection.id), 404, 'not_found');
      expectProblem(await api.runs(connection.id), 404, 'not_found');
      expectProblem(await api.run(run.id), 404, 'not_found');
    });
  });

  describe('run history for admins', () => {
    it('lists a connection’s runs newest first, a page at a time, with parsed stats', async () => {
      const connection = await create();
      const neighbour = await create();
      const runs = [
        await insertSyncRun(dataSource, connection, { status: 'failed', error: 'upstream answered 503', mode: 'incremental' }),
        await insertSyncRun(dataSource, connection),
        await insertSyncRun(dataSource, connection, {
          status: 'queued',
          trigger: 'manual',
          mode: null,
          startedAt: null,
          finishedAt: null,
          pages: 0,
        }),
      ];
      await insertSyncRun(dataSource, neighbour);

      const first = await api.runs(connection.id, '?limit=2');
      expect(first.status).toBe(200);
      const firstPage = first.body as Page<RunBody>;
      expect(firstPage.data.map((run) => run.id)).toEqual([runs[2]!.id, runs[1]!.id]);
      const second = (await api.runs(connection.id, `?limit=2&cursor=${encodeURIComponent(firstPage.next_cursor!)}`)).body as Page<RunBody>;
      expect(second).toEqual({ data: [expect.objectContaining({ id: runs[0]!.id })], next_cursor: null });

      expect(Object.keys(firstPage.data[0]!).sort()).toEqual(RUN_FIELDS);
      expect(firstPage.data[0]).toEqual({
        id: runs[2]!.id,
        connection_id: connection.id,
        organization_id: organizationId,
        trigger: 'manual',
        status: 'queued',
        mode: null,
        queued_at: runs[2]!.queuedAt.toISOString(),
        started_at: null,
        finished_at: null,
        stats: {
          members: { fetched: 3, created: 1, updated: 1, deleted: 0, unchanged: 1 },
          groups: { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 },
        },
        pages: 0,
        error: null,
        takeovers: 0,
        resumed_at: null,
      });
      expect(second.data[0]).toMatchObject({
        status: 'failed',
        mode: 'incremental',
        error: 'upstream answered 503',
        started_at: runs[0]!.startedAt!.toISOString(),
        finished_at: runs[0]!.finishedAt!.toISOString(),
      });
    });

    it('reads one run, and reads stats it cannot parse as zeros rather than failing', async () => {
      const connection = await create();
      const run = await insertSyncRun(dataSource, connection, { stats: 'not json' });
      const response = await api.run(run.id);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: run.id,
        connection_id: connection.id,
        stats: {
          members: { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 },
          groups: { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 },
        },
      });
    });

    it('answers 404 for unknown runs and connections, and 400 for a forged cursor', async () => {
      expectProblem(await api.run(UNKNOWN_ID), 404, 'not_found');
      expectProblem(await api.run('not-a-uuid'), 404, 'not_found');
      expectProblem(await api.runs(UNKNOWN_ID), 404, 'not_found');
      const connection = await create();
      expectProblem(await api.runs(connection.id, '?cursor=Zm9v'), 400, 'validation_failed');
      const forged = Buffer.from(JSON.stringify({ after: "x' OR 1=1" })).toString('base64url');
      expectProblem(await api.runs(connection.id, `?cursor=${forged}`), 400, 'validation_failed');
    });
  });

  describe('run history for partners: GET /api/v1/sync/runs', () => {
    let mine: { organizationId: string; token: string; connections: SyncConnectionBody[]; runIds: string[] };
    let theirs: { organizationId: string; connection: SyncConnectionBody; runIds: string[] };

    beforeAll(async () => {
      const ownId = (await createOrganization(t, admin, 'Partner A')).id;
      const otherId = (await createOrganization(t, admin, 'Partner B')).id;
      const connections = [await create({ name: 'A1' }, ownId), await create({ name: 'A2' }, ownId)];
      const other = await create({ name: 'B1' }, otherId);
      const runIds: string[] = [];
      const otherRunIds: string[] = [];
      // Interleaved, so that order and paging are tested across connections and organizations.
      for (let i = 0; i < 3; i++) {
        for (const connection of connections) runIds.push((await insertSyncRun(dataSource, connection)).id);
        otherRunIds.push((await insertSyncRun(dataSource, other)).id);
      }
      mine = { organizationId: ownId, token: await syncReadToken(t, admin, ownId), connections, runIds: runIds.reverse() };
      theirs = { organizationId: otherId, connection: other, runIds: otherRunIds.reverse() };
    });

    const partner = (query = '', token = mine.token) => record(as(token).get(`/api/v1/sync/runs${query}`));

    it('lists the organization’s runs only, newest first', async () => {
      const response = await partner();

      expect(response.status).toBe(200);
      const page = response.body as Page<RunBody>;
      expect(page.data.map((run) => run.id)).toEqual(mine.runIds);
      expect(page.next_cursor).toBeNull();
      expect(page.data.every((run) => run.organization_id === mine.organizationId)).toBe(true);
      expect(Object.keys(page.data[0]!).sort()).toEqual(RUN_FIELDS);
      for (const value of [theirs.organizationId, theirs.connection.id, ...theirs.runIds]) expect(response.text).not.toContain(value);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['vary']).toMatch(/authorization/i);
    });

    it('narrows the list to one connection', async () => {
      const [a1] = mine.connections;
      const page = (await partner(`?connection_id=${a1!.id}`)).body as Page<RunBody>;
      expect(page.data).toHaveLength(3);
      expect(page.data.every((run) => run.connection_id === a1!.id)).toBe(true);
    });

    it('walks the pages with signed cursors, each run once', async () => {
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await partner(`?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(response.status).toBe(200);
        const page = response.body as Page<RunBody>;
        walked.push(...page.data.map((run) => run.id));
        cursor = page.next_cursor;
      } while (cursor);
      expect(walked).toEqual(mine.runIds);
    });

    it('refuses a cursor of another list or another organization, and a forged one', async () => {
      const first = (await partner('?limit=1')).body as Page<RunBody>;
      const cursor = encodeURIComponent(first.next_cursor!);
      expectProblem(await partner(`?limit=1&cursor=${cursor}&connection_id=${mine.connections[0]!.id}`), 400, 'validation_failed');
      const otherToken = await syncReadToken(t, admin, theirs.organizationId);
      expectProblem(await partner(`?limit=1&cursor=${cursor}`, otherToken), 400, 'validation_failed');
      const forged = `${Buffer.from(theirs.runIds[0]!).toString('base64url')}.AAAA`;
      expectProblem(await partner(`?cursor=${forged}`), 400, 'validation_failed');
    });

    it('answers another organization’s connection_id with 404, exactly as an unknown one', async () => {
      const foreign = await partner(`?connection_id=${theirs.connection.id}`);
      const unknown = await partner(`?connection_id=${UNKNOWN_ID}`);

      expectProblem(foreign, 404, 'not_found');
      expectProblem(unknown, 404, 'not_found');
      expect((foreign.body as { detail: string }).detail.replace(theirs.connection.id, 'X')).toBe(
        (unknown.body as { detail: string }).detail.replace(UNKNOWN_ID, 'X'),
      );
    });

    it.each(['?connection_id=not-a-uuid', `?organization_id=${UNKNOWN_ID}`, '?limit=0', '?limit=501', '?status=failed'])(
      'refuses %s with 400',
      async (query) => {
        expectProblem(await partner(query), 400, 'validation_failed');
      },
    );

    it('hides the runs of a deleted connection', async () => {
      const doomed = await create({ name: 'A3' }, mine.organizationId);
      const run = await insertSyncRun(dataSource, doomed);
      expect(((await partner()).body as Page<RunBody>).data[0]!.id).toBe(run.id);

      await api.delete(doomed.id).then((response) => expect(response.status).toBe(204));

      expect(((await partner()).body as Page<RunBody>).data.map((r) => r.id)).toEqual(mine.runIds);
      expectProblem(await partner(`?connection_id=${doomed.id}`), 404, 'not_found');
    });

    it('requires the sync:read scope', async () => {
      const withoutSync = await syncReadToken(t, admin, mine.organizationId, 'org:read');
      const response = await partner('', withoutSync);
      expectProblem(response, 403, 'insufficient_scope');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync", error="insufficient_scope", scope="sync:read"');
      // The admin scope is no substitute: partners' runs are read with partners' tokens.
      expectProblem(await partner('', admin), 403, 'insufficient_scope');
      expectProblem(await t.http().get('/api/v1/sync/runs'), 401, 'unauthorized');
    });
  });

  describe('the admin scope', () => {
    it('is required on every admin route: 403 insufficient_scope for an organization’s token, and nothing happens', async () => {
      const connection = await create();
      const run = await insertSyncRun(dataSource, connection);
      const token = await nonAdminToken(t);
      const partner = await syncReadToken(t, admin, organizationId);
      const routes: [method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object][] = [
        ['post', `/admin/organizations/${organizationId}/sync-connections`, syncConnectionInput()],
        ['get', `/admin/organizations/${organizationId}/sync-connections`],
        ['get', `/admin/sync-connections/${connection.id}`],
        ['patch', `/admin/sync-connections/${connection.id}`, { base_url: 'https://hijack.example.com' }],
        ['delete', `/admin/sync-connections/${connection.id}`],
        ['post', `/admin/sync-connections/${connection.id}/confirm-deletions`],
        ['get', `/admin/sync-connections/${connection.id}/runs`],
        ['get', `/admin/sync-runs/${run.id}`],
      ];

      for (const bearer of [token, partner]) {
        for (const [method, path, body] of routes) {
          const response = await record(t.http()[method](path).auth(bearer, { type: 'bearer' }).send(body));
          const problem = expectProblem(response, 403, 'insufficient_scope');
          expect(problem).toMatchObject({ required_scope: 'admin', instance: path });
        }
      }
      expect((await api.get(connection.id)).body).toEqual(connection);
    });
  });

  // Last in the file, so `seen` holds every response the tests above received.
  it('never puts the client secret, in clear or sealed, into a response', async () => {
    const connection = await create();
    const sealed = (await rowOf(connection.id)).clientSecret;
    const texts = [
      (await api.get(connection.id)).text,
      (await api.list(organizationId, '?limit=200')).text,
      (await api.patch(connection.id, { client_secret: UPSTREAM_SECRET })).text,
      (await api.confirm(connection.id)).text,
      ...seen,
    ];
    expect(seen.length).toBeGreaterThan(50);
    for (const text of texts) {
      expect(text).not.toContain(UPSTREAM_SECRET);
      expect(text).not.toContain(sealed);
      expect(text).not.toMatch(/"client_secret":/);
    }
  });
});

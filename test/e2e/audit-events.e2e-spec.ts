import { randomBytes } from 'node:crypto';
import { AuditEventEntity } from '../../src/audit/audit-event.entity.js';
import { AuditEventIds } from '../../src/audit/audit-event-id.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { AuditRetentionScheduler } from '../../src/audit/audit-retention.scheduler.js';
import type { AuditEventResponse } from '../../src/audit/dto/audit-event.response.js';
import { DataSource } from 'typeorm';
import {
  adminToken,
  createClient,
  createOrganization,
  expectProblem,
  nonAdminToken,
  obtainToken,
  requestToken,
} from '../support/factories.js';
import { createSyncConnection, UPSTREAM_SECRET } from '../support/sync-factories.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

interface AuditPage {
  data: AuditEventResponse[];
  next_cursor: string | null;
}

describe('GET /admin/audit-events', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  let client: { client_id: string; client_secret: string };
  let accessToken: string;
  const wrongSecret = `orgsync_cs_${randomBytes(32).toString('base64url')}`;

  /** Every recorded event written, then one page of the list as the admin sees it. */
  async function list(query: Record<string, string | number> = {}, token = admin) {
    await t.app.get(AuditLog).flush();
    return t.http().get('/admin/audit-events').query(query).auth(token, { type: 'bearer' });
  }

  async function events(query: Record<string, string | number> = {}): Promise<AuditEventResponse[]> {
    const response = await list({ limit: 200, ...query });
    expect(response.status).toBe(200);
    return (response.body as AuditPage).data;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t);
    organizationId = (await createOrganization(t, admin)).id;
    client = await createClient(t, admin, organizationId, { scope: 'org:read members:read' });
    accessToken = await obtainToken(t, client.client_id, client.client_secret, 'org:read');
    expect((await requestToken(t, client.client_id, wrongSecret)).status).toBe(401);
  });
  afterAll(() => t.close());

  describe('tokens issued and refused', () => {
    it('lists an issued token with its client, organization, scopes, outcome, source address and time', async () => {
      const [issued] = await events({ action: 'token.issued', client_id: client.client_id });

      expect(issued).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        action: 'token.issued',
        outcome: 'success',
        client_id: client.client_id,
        organization_id: organizationId,
        target: null,
        source_address: '127.0.0.1',
        request_id: expect.any(String),
        details: expect.objectContaining({ grant_type: 'client_credentials', scope: 'org:read', jti: expect.any(String) }),
      });
    });

    it('lists a refused request with the client it claimed to be and why', async () => {
      const [refused] = await events({ action: 'token.refused', client_id: client.client_id });

      expect(refused).toMatchObject({
        outcome: 'failure',
        client_id: client.client_id,
        source_address: '127.0.0.1',
        details: expect.objectContaining({ error: 'invalid_client' }),
      });
    });

    it('never holds a secret or a token, anywhere in the listing', async () => {
      const response = await list({ limit: 200 });

      for (const sensitive of [client.client_secret, wrongSecret, accessToken, admin, ADMIN_CLIENT_SECRET, UPSTREAM_SECRET]) {
        expect(response.text).not.toContain(sensitive);
      }
      expect(response.text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    });
  });

  describe('changes', () => {
    it('records organization, client and sync connection changes with the admin client as actor', async () => {
      const organization = await createOrganization(t, admin, 'Audited Corp');
      const audited = await createClient(t, admin, organization.id);
      const disable = await t
        .http()
        .patch(`/admin/clients/${audited.client_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ status: 'disabled' });
      expect(disable.status).toBe(200);
      expect((await t.http().delete(`/admin/clients/${audited.client_id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
      const connection = await createSyncConnection(t, admin, organization.id);
      const newSecret = `upstream-${randomBytes(12).toString('hex')}`;
      const change = await t
        .http()
        .patch(`/admin/sync-connections/${connection.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ client_secret: newSecret, interval_seconds: 7200 });
      expect(change.status).toBe(200);
      expect(
        (await t.http().post(`/admin/sync-connections/${connection.id}/confirm-deletions`).auth(admin, { type: 'bearer' })).status,
      ).toBe(200);
      expect((await t.http().delete(`/admin/sync-connections/${connection.id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
      expect((await t.http().delete(`/admin/organizations/${organization.id}`).auth(admin, { type: 'bearer' })).status).toBe(204);

      const response = await list({ organization_id: organization.id, limit: 200 });
      const changes = (response.body as AuditPage).data;

      expect(changes.map((event) => [event.action, event.target])).toEqual([
        ['organization.deleted', { type: 'organization', id: organization.id }],
        ['sync_connection.deleted', { type: 'sync_connection', id: connection.id }],
        ['sync_connection.deletions_confirmed', { type: 'sync_connection', id: connection.id }],
        ['sync_connection.updated', { type: 'sync_connection', id: connection.id }],
        ['sync_connection.created', { type: 'sync_connection', id: connection.id }],
        ['client.deleted', { type: 'client', id: audited.client_id }],
        ['client.updated', { type: 'client', id: audited.client_id }],
        ['client.created', { type: 'client', id: audited.client_id }],
        ['organization.created', { type: 'organization', id: organization.id }],
      ]);
      for (const event of changes) {
        expect(event).toMatchObject({
          outcome: 'success',
          client_id: ADMIN_CLIENT_ID,
          organization_id: organization.id,
          source_address: '127.0.0.1',
        });
      }
      expect(changes.find((event) => event.action === 'client.updated')?.details).toEqual({ changed: ['status'], status: 'disabled' });
      expect(changes.find((event) => event.action === 'sync_connection.updated')?.details).toEqual({
        changed: ['client_secret', 'interval_seconds'],
      });
      expect(response.text).not.toContain(newSecret);
      expect(response.text).not.toContain(UPSTREAM_SECRET);
    });

    it('carries the request ID of the change', async () => {
      const requestId = `audit-${randomBytes(6).toString('hex')}`;
      const created = await t
        .http()
        .post('/admin/organizations')
        .set('x-request-id', requestId)
        .auth(admin, { type: 'bearer' })
        .send({ name: 'Traced' });

      const [event] = await events({ action: 'organization.created', organization_id: (created.body as { id: string }).id });

      expect(event?.request_id).toBe(requestId);
    });
  });

  describe('filters', () => {
    it('narrows by action, action prefix, outcome, client, organization and target', async () => {
      const all = await events();
      const check = async (query: Record<string, string>, predicate: (event: AuditEventResponse) => boolean) => {
        const expected = all.filter(predicate).map((event) => event.id);
        expect(expected.length).toBeGreaterThan(0);
        expect((await events(query)).map((event) => event.id)).toEqual(expected);
      };

      await check({ action: 'token.issued' }, (event) => event.action === 'token.issued');
      await check({ action_prefix: 'token.' }, (event) => event.action.startsWith('token.'));
      await check({ action_prefix: 'client' }, (event) => event.action.startsWith('client'));
      await check({ outcome: 'failure' }, (event) => event.outcome === 'failure');
      await check({ client_id: ADMIN_CLIENT_ID }, (event) => event.client_id === ADMIN_CLIENT_ID);
      await check(
        { organization_id: organizationId, action: 'client.created' },
        (e) => e.organization_id === organizationId && e.action === 'client.created',
      );
      await check({ target_type: 'client', target_id: client.client_id }, (event) => event.target?.id === client.client_id);
    });

    it('narrows by time: since is inclusive, until exclusive', async () => {
      const all = await events();
      const middle = all[Math.floor(all.length / 2)]!;
      const at = middle.occurred_at;

      const since = await events({ since: at });
      const until = await events({ until: at });

      expect(since.every((event) => event.occurred_at >= at)).toBe(true);
      expect(since.map((event) => event.id)).toContain(middle.id);
      expect(until.every((event) => event.occurred_at < at)).toBe(true);
      expect(since.length + until.length).toBe(all.length);
    });

    it.each([
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ outcome: 'maybe' }, 'outcome'],
      [{ since: 'yesterday' }, 'since'],
      [{ until: '2026-01-01' }, 'until'],
      [{ action: 'DROP TABLE' }, 'action'],
      [{ actor: 'x' }, 'actor'],
    ])('refuses the filter %j with a 400 problem naming %s', async (query, field) => {
      const body = expectProblem(await list(query), 400, 'validation_failed');
      expect(body.errors?.map((error) => error.field)).toContain(field);
    });
  });

  describe('pagination', () => {
    it('walks more than one page, newest first, without gaps or repeats', async () => {
      for (let i = 0; i < 6; i++) await obtainToken(t, client.client_id, client.client_secret);
      const query = { client_id: client.client_id };
      const everything = (await events(query)).map((event) => event.id);
      expect(everything.length).toBeGreaterThan(7);

      const walked: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await list({ ...query, limit: 3, ...(cursor ? { cursor } : {}) });
        expect(response.status).toBe(200);
        const page = response.body as AuditPage;
        walked.push(...page.data.map((event) => event.id));
        cursor = page.next_cursor;
        pages++;
      } while (cursor !== null);

      expect(pages).toBeGreaterThan(2);
      expect(walked).toEqual(everything);
      expect([...walked].sort().reverse()).toEqual(walked);
    });

    it('refuses a cursor it did not issue, or one issued for other filters, with a 400 problem', async () => {
      const first = (await list({ client_id: client.client_id, limit: 1 })).body as AuditPage;
      const cursor = first.next_cursor!;

      for (const response of [
        await list({ cursor: 'bm90LWEtY3Vyc29y' }),
        await list({ client_id: client.client_id, limit: 1, cursor: `${cursor.split('.')[0]}.${'A'.repeat(43)}` }),
        await list({ client_id: ADMIN_CLIENT_ID, limit: 1, cursor }),
      ]) {
        const body = expectProblem(response, 400, 'validation_failed');
        expect(body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    });
  });

  describe('access', () => {
    it('refuses a token without the admin scope with 403 insufficient_scope', async () => {
      const response = await list({}, await nonAdminToken(t));
      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });

    it('refuses a request without a token with 401', async () => {
      expect((await t.http().get('/admin/audit-events')).status).toBe(401);
    });
  });

  describe('retention', () => {
    it('deletes events older than AUDIT_RETENTION_DAYS on its scheduled pass, and audits the pruning', async () => {
      const dataSource = t.app.get(DataSource);
      const ids = new AuditEventIds();
      const day = 86_400_000;
      const old = [91, 120].map((daysAgo) => oldEvent(ids, new Date(Date.now() - daysAgo * day)));
      const kept = oldEvent(ids, new Date(Date.now() - 89 * day));
      await dataSource.getRepository(AuditEventEntity).insert([...old, kept]);

      await t.app.get(AuditRetentionScheduler).tick();

      const remaining = await dataSource.getRepository(AuditEventEntity).findBy({ action: 'test.old' });
      expect(remaining.map((event) => event.id)).toEqual([kept.id]);
      const [pruned] = await events({ action: 'audit.pruned' });
      expect(pruned).toMatchObject({ client_id: null, details: { deleted: 2, retention_days: 90, via: 'schedule' } });
    });
  });
});

function oldEvent(ids: AuditEventIds, occurredAt: Date): AuditEventEntity {
  return Object.assign(new AuditEventEntity(), {
    id: ids.next(occurredAt),
    occurredAt,
    action: 'test.old',
    outcome: 'success' as const,
    clientId: null,
    organizationId: null,
    targetType: null,
    targetId: null,
    sourceAddress: null,
    requestId: null,
    details: '{}',
  });
}

describe('audit events are durable', () => {
  it('writes an event recorded just before the application closes', async () => {
    const database = await createTestDatabase();
    const env = { SECRETS_KEY: randomBytes(32).toString('hex') };
    try {
      const first = await startTestApp(env, database);
      const token = await adminToken(first);
      const organization = await createOrganization(first, token, 'Closing Time');
      await first.close();

      const second = await startTestApp(env, database);
      try {
        const response = await second
          .http()
          .get('/admin/audit-events')
          .query({ organization_id: organization.id })
          .auth(await adminToken(second), { type: 'bearer' });
        expect((response.body as AuditPage).data.map((event) => event.action)).toEqual(['organization.created']);
        const issued = await second.app
          .get(DataSource)
          .getRepository(AuditEventEntity)
          .countBy({ action: 'token.issued', clientId: ADMIN_CLIENT_ID });
        expect(issued).toBeGreaterThanOrEqual(1);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { startScimUpstream, type ScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { SyncConnectionEntity } from '../../src/sync/connections/sync-connection.entity.js';
import { SyncClaimsRepository } from '../../src/sync/engine/sync-claims.repository.js';
import { SyncScheduler } from '../../src/sync/engine/sync.scheduler.js';
import {
  adminToken,
  basicAuthorization,
  createClient,
  createOrganization,
  createPlatformOrganization,
  expectProblem,
  obtainToken,
} from '../support/factories.js';
import { routesOf } from '../support/routes.js';
import { createSyncConnection } from '../support/sync-factories.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface Run {
  id: string;
  connection_id: string;
  trigger: string;
  status: string;
  error: string | null;
}

/** Polls `probe` until it returns something, for at most `ms`; says what it waited for when it gives up. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * One image, three ways to run it (ROLE). An api replica and a worker share
 * one database and one SECRETS_KEY: the api replica serves every HTTP API and
 * never syncs; the worker serves only its probes and /metrics, and runs every
 * sync, including the runs asked for through an api replica.
 */
describe('process roles (ROLE=api and ROLE=worker on one database)', () => {
  // As behind a load balancer: one issuer and one SECRETS_KEY for every replica.
  const common = { SECRETS_KEY: randomBytes(32).toString('hex'), ISSUER: 'https://orgsync.test' };
  let database: TestDatabase;
  let upstream: ScimUpstream;
  let api: TestApp;
  let worker: TestApp | undefined;
  let admin: string;
  let organizationId: string;
  let manualConnectionId: string;
  let manualRunId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    upstream = await startScimUpstream({ users: 7, groups: 2, membersPerGroup: 3 });
    // A short poll, so that a replica that did run a scheduler would claim the due connection during the test.
    api = await startTestApp({ ...common, ROLE: 'api', SYNC_POLL_INTERVAL_MS: '100' }, database);
    admin = await adminToken(api);
    organizationId = (await createOrganization(api, admin, 'Synced by a worker')).id;
    manualConnectionId = (await createSyncConnection(api, admin, organizationId, upstreamConnection('Asked for through the API'))).id;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await upstream?.close();
    await database?.drop();
  });

  function upstreamConnection(name: string): Record<string, unknown> {
    return {
      name,
      base_url: upstream.baseUrl,
      token_url: upstream.tokenUrl,
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      interval_seconds: 3600,
    };
  }

  const connectionRow = (id: string) => api.app.get(DataSource).getRepository(SyncConnectionEntity).findOneByOrFail({ id });
  const readRun = async (id: string) => (await api.http().get(`/admin/sync-runs/${id}`).auth(admin, { type: 'bearer' })).body as Run;
  const routeNames = (t: TestApp) => routesOf(t).map((route) => `${route.method} ${route.path}`);

  describe('ROLE=api', () => {
    it('serves the OAuth endpoints, the admin and organization APIs, and /docs', async () => {
      expect(routeNames(api)).toEqual(
        expect.arrayContaining([
          'POST /oauth/token',
          'GET /oauth/jwks',
          'GET /admin/organizations',
          'GET /admin/signing-keys',
          'POST /admin/sync-connections/:id/runs',
          'GET /api/v1/organization',
          'GET /health/ready',
          'GET /metrics',
        ]),
      );
      expect((await api.http().get('/docs/openapi.json')).status).toBe(200);
      const ready = await api.http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.details as object).sort()).toEqual(['database', 'lifecycle', 'migrations', 'signing_key']);
    });

    it('runs no sync scheduler, only the maintenance that serves the API', () => {
      const intervals = api.app.get(SchedulerRegistry).getIntervals();

      expect(intervals).not.toContain('sync-scheduler');
      expect(intervals).toEqual(expect.arrayContaining(['signing-key-rotation', 'audit-retention']));
    });

    it('never claims a due connection, however often its scheduler is asked to tick', async () => {
      const claimDue = jest.spyOn(api.app.get(SyncClaimsRepository), 'claimDue');
      const before = await connectionRow(manualConnectionId);
      expect(before.nextRunAt.getTime()).toBeLessThanOrEqual(Date.now());

      for (let i = 0; i < 5; i++) await api.app.get(SyncScheduler).tick();

      expect(claimDue).not.toHaveBeenCalled();
      const after = await connectionRow(manualConnectionId);
      expect({ owner: after.leaseOwner, token: after.leaseToken }).toEqual({ owner: null, token: before.leaseToken });
      claimDue.mockRestore();
    });

    it('queues a manual run for a worker to take, and leaves it queued', async () => {
      const queued = await api.http().post(`/admin/sync-connections/${manualConnectionId}/runs`).auth(admin, { type: 'bearer' });
      expect(queued.status).toBe(202);
      manualRunId = (queued.body as Run).id;
      expect(queued.body).toMatchObject({ connection_id: manualConnectionId, trigger: 'manual', status: 'queued' });

      for (let i = 0; i < 3; i++) await api.app.get(SyncScheduler).tick();

      expect(await readRun(manualRunId)).toMatchObject({ status: 'queued' });
      expect((await connectionRow(manualConnectionId)).leaseOwner).toBeNull();
    });
  });

  describe('ROLE=worker', () => {
    beforeAll(async () => {
      worker = await startTestApp({ ...common, ROLE: 'worker', SYNC_POLL_INTERVAL_MS: '100' }, database);
    });
    const w = () => worker!;

    it('takes the run queued through the api replica and runs it', async () => {
      const run = await until('the queued run to finish', async () => {
        const current = await readRun(manualRunId);
        return current.status === 'queued' || current.status === 'running' ? undefined : current;
      });

      expect(run).toMatchObject({ id: manualRunId, trigger: 'manual', status: 'succeeded', error: null });
      const members = await api.app.get(DataSource).getRepository(MemberEntity).countBy({ source: manualConnectionId });
      expect(members).toBe(7);
      // Claimed (the fencing token moved) and released again.
      const connection = await connectionRow(manualConnectionId);
      expect(connection.leaseToken).toBeGreaterThan(0);
      expect(connection.leaseOwner).toBeNull();
    });

    it('runs a due connection on its own schedule, while the api replica claims nothing', async () => {
      const apiClaims = jest.spyOn(api.app.get(SyncClaimsRepository), 'claimDue');
      // Another organization: the same upstream users in one organization twice would clash on their e-mail addresses.
      const other = await createOrganization(api, admin, 'Synced on schedule');
      const connection = await createSyncConnection(api, admin, other.id, upstreamConnection('Due at once'));

      const run = await until('a scheduled run of the new connection', async () => {
        const runs = (await api.http().get(`/admin/sync-connections/${connection.id}/runs`).auth(admin, { type: 'bearer' })).body as {
          data: Run[];
        };
        return runs.data.find((candidate) => candidate.status !== 'queued' && candidate.status !== 'running');
      });

      expect(run).toMatchObject({ connection_id: connection.id, trigger: 'schedule', status: 'succeeded', error: null });
      expect(apiClaims).not.toHaveBeenCalled();
      apiClaims.mockRestore();
      await w().app.get(SyncScheduler).idle();
    });

    it('keeps the sync scheduler and the maintenance schedules', () => {
      expect(w().app.get(SchedulerRegistry).getIntervals()).toEqual(
        expect.arrayContaining(['sync-scheduler', 'signing-key-rotation', 'audit-retention']),
      );
    });

    it('builds no controller but the probes and /metrics', () => {
      expect(routeNames(w()).sort()).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics']);
    });

    it('answers its probes; readiness checks what a worker needs, not the signing key', async () => {
      const live = await w().http().get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
      const ready = await w().http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', error: {} });
      expect(Object.keys(ready.body.details as object).sort()).toEqual(['database', 'lifecycle', 'migrations']);
    });

    it('serves /metrics to a metrics:read token issued by an api replica, with the runs it did', async () => {
      const platform = await createPlatformOrganization(api, admin, `Monitoring ${randomUUID().slice(0, 8)}`);
      const reader = await createClient(api, admin, platform.id, { client_name: 'Prometheus', scope: 'metrics:read' });
      const token = await obtainToken(api, reader.client_id, reader.client_secret);

      const unauthenticated = await w().http().get('/metrics');
      expectProblem(unauthenticated, 401, 'unauthorized');
      expect(unauthenticated.headers['www-authenticate']).toBe('Bearer realm="orgsync"');
      const scrape = await w().http().get('/metrics').auth(token, { type: 'bearer' });
      expect(scrape.status).toBe(200);
      expect(scrape.text).toContain(`orgsync_sync_runs_total{connection_id="${manualConnectionId}",outcome="succeeded"} 1`);
    });

    it.each([
      ['POST', '/oauth/token'],
      ['GET', '/oauth/jwks'],
      ['GET', '/.well-known/oauth-authorization-server'],
      ['POST', '/oauth/introspect'],
      ['GET', '/admin/organizations'],
      ['GET', '/admin/signing-keys'],
      ['POST', '/admin/signing-keys/rotate'],
      ['GET', '/admin/audit-events'],
      ['POST', `/admin/sync-connections/${randomUUID()}/runs`],
      ['GET', '/api/v1/organization'],
      ['GET', '/api/v1/members'],
      ['GET', '/docs'],
      ['GET', '/docs/openapi.json'],
    ])('answers %s %s with a 404 problem', async (method, path) => {
      const call = method === 'GET' ? w().http().get(path) : w().http().post(path);
      // With what a real caller would send: the admin's credentials, a form body on the OAuth endpoints.
      const response = path.startsWith('/oauth/')
        ? await call
            .set('authorization', basicAuthorization(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET))
            .type('form')
            .send({ grant_type: 'client_credentials' })
        : await call.auth(admin, { type: 'bearer' });

      expectProblem(response, 404, 'route_not_found');
    });
  });
});

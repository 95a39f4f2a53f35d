import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import { type ScimUpstream, startScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { SyncConnectionEntity } from '../../src/sync/connections/sync-connection.entity.js';
import { SyncScheduler } from '../../src/sync/engine/sync.scheduler.js';
import { SyncRunEntity } from '../../src/sync/runs/sync-run.entity.js';
import { clientKey, JWT_BEARER, signAssertion } from '../support/client-keys.js';
import { basicAuthorization } from '../support/factories.js';
import { compileOrgsync, killed, type OrgsyncChild, startOrgsyncChild } from '../support/orgsync-process.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';
import { startHeldJwks } from '../support/held-jwks.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Whether a new TCP connection to `url` is accepted, or the error code it fails with. */
function connectionOutcome(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

async function adminTokenOf(child: OrgsyncChild): Promise<string> {
  const response = await child
    .http()
    .post('/oauth/token')
    .set('authorization', basicAuthorization(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET))
    .type('form')
    .send({ grant_type: 'client_credentials' });
  return response.body.access_token as string;
}

async function organizationOf(child: OrgsyncChild, token: string, name: string): Promise<string> {
  const response = await child.http().post('/admin/organizations').auth(token, { type: 'bearer' }).send({ name });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

/**
 * The compiled server as a real process, stopped with SIGTERM the way an
 * orchestrator stops it: in-flight work finishes or is handed back, and the
 * process exits 0 within SHUTDOWN_GRACE_SECONDS.
 */
describe('orgsync as a process, stopped with SIGTERM', () => {
  const secretsKey = randomBytes(32).toString('hex');
  const dummyPassword = `dummy-${randomBytes(8).toString('hex')}`;
  let build: Awaited<ReturnType<typeof compileOrgsync>>;
  let database: TestDatabase;
  let databaseUrl: string;
  let child: OrgsyncChild | undefined;
  let upstream: ScimUpstream | undefined;
  let after: TestApp | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // PostgreSQL: a password in the URL (trust authentication ignores it) that the start-up line must not show.
    const url = new URL(database.url);
    if (url.protocol.startsWith('postgres')) url.password = dummyPassword;
    databaseUrl = url.protocol.startsWith('postgres') ? url.toString() : database.url;
    build = await compileOrgsync();
  }, 180_000);
  afterAll(async () => {
    if (child) await killed(child.child);
    await after?.close();
    await upstream?.close();
    await database?.drop();
    await build?.remove();
  });

  it('finishes the request in flight, refuses new connections, exits 0, and printed one start-up line without the password', async () => {
    const key = await clientKey('ES256');
    const jwks = await startHeldJwks(key);
    try {
      child = await startOrgsyncChild(build.main, database, {
        SECRETS_KEY: secretsKey,
        DATABASE_URL: databaseUrl,
        SYNC_ENABLED: 'false',
        SHUTDOWN_GRACE_SECONDS: '20',
        CLIENT_JWKS_TIMEOUT_MS: '30000',
      });
      const admin = await adminTokenOf(child);
      const organizationId = await organizationOf(child, admin, 'Draining');
      const created = await child
        .http()
        .post(`/admin/organizations/${organizationId}/clients`)
        .auth(admin, { type: 'bearer' })
        .send({ client_name: 'Slow partner', scope: 'org:read', token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwks.url });
      expect(created.status).toBe(201);

      // The token request waits for the partner's keys, which this test holds back until the server is shutting down.
      const assertion = await signAssertion(key, created.body.client_id as string, child.url);
      const slow = child
        .http()
        .post('/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion })
        .then((response) => response);
      await waitFor('the token request to wait on the jwks_uri', async () => jwks.held() > 0);

      child.child.kill('SIGTERM');
      const refused = await waitFor('new connections to be refused', async () => {
        const outcome = await connectionOutcome(child!.url);
        return outcome !== 'accepted' && outcome;
      });
      expect(refused).toBe('ECONNREFUSED');
      expect(child.child.exitCode).toBeNull();

      jwks.release();
      const response = await slow;
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
      expect(await child.exited()).toEqual({ code: 0, signal: null });
    } finally {
      await jwks.close();
    }

    const output = child.output();
    expect(output.match(/Listening on /g)).toHaveLength(1);
    // The password is masked by describeDatabase (and the log redaction may mask the user too).
    const { host, pathname } = new URL(databaseUrl);
    const expectedDatabase = databaseUrl.startsWith('sqlite:')
      ? escape(`SQLite ${database.url.slice('sqlite:'.length)}`)
      : `PostgreSQL postgres(ql)?://[^@\\s]*@${escape(host + pathname)}`;
    expect(output).toMatch(new RegExp(`Listening on ${escape(child.url)} with ${expectedDatabase}; issuer ${escape(child.url)}`));
    expect(output).not.toContain(dummyPassword);
    expect(output).not.toMatch(/Shutdown did not finish/);
    // The in-flight request's audit event was written before the pool closed.
    expect(output).not.toMatch(/audit events (could not be|were not) written/);
  }, 120_000);

  it('releases the lease of a sync run stuck mid-page, so the next worker takes the connection at once and duplicates nothing', async () => {
    upstream = await startScimUpstream({ users: 500, maxResults: 100 });
    // Page 3 of /Users hangs: the run cannot stop between pages, so the shutdown has to abandon it.
    upstream.faults.hang({ endpoint: 'Users', page: 3, times: 1 });
    child = await startOrgsyncChild(build.main, database, {
      SECRETS_KEY: secretsKey,
      DATABASE_URL: databaseUrl,
      SYNC_POLL_INTERVAL_MS: '100',
      SYNC_HTTP_TIMEOUT_MS: '120000',
      // Far longer than the test: only a release frees the connection.
      SYNC_LEASE_SECONDS: '3600',
      SHUTDOWN_GRACE_SECONDS: '6',
    });
    const admin = await adminTokenOf(child);
    const organizationId = await organizationOf(child, admin, 'Stopped mid-run');
    const created = await child
      .http()
      .post(`/admin/organizations/${organizationId}/sync-connections`)
      .auth(admin, { type: 'bearer' })
      .send({
        name: 'Example IdP',
        base_url: upstream.baseUrl,
        token_url: upstream.tokenUrl,
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        interval_seconds: 3600,
      });
    expect(created.status).toBe(201);
    const connectionId = created.body.id as string;
    await waitFor('the request for page 3 to hang', async () => upstream!.faults.pending === 0, 60_000);

    child.child.kill('SIGTERM');
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(child.output()).toMatch(/abandoned it and released connection/);

    after = await startTestApp({ SECRETS_KEY: secretsKey, SYNC_POLL_INTERVAL_MS: '600000' }, database);
    const dataSource = after.app.get(DataSource);
    const left = await dataSource.getRepository(SyncConnectionEntity).findOneByOrFail({ id: connectionId });
    expect(left).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, watermark: null });
    expect(left.nextRunAt.getTime()).toBeLessThanOrEqual(Date.now());
    const [stopped] = await dataSource.getRepository(SyncRunEntity).findBy({ connectionId });
    expect(stopped).toMatchObject({ pages: 2 });
    expect(await dataSource.getRepository(MemberEntity).countBy({ source: connectionId })).toBe(200);

    // The next worker claims the connection on its first pass, long before the old lease would have run out.
    const scheduler = after.app.get(SyncScheduler);
    await scheduler.tick();
    await scheduler.idle();
    const runs = await dataSource.getRepository(SyncRunEntity).find({ where: { connectionId }, order: { id: 'ASC' } });
    // Since issue 7 the next worker resumes the abandoned run (same id) from its checkpoint instead of failing it.
    expect(runs.map((run) => [run.id, run.status, run.error])).toEqual([[stopped!.id, 'succeeded', null]]);
    expect(runs[0]!.pages).toBe(6);
    const members = await dataSource.getRepository(MemberEntity).find({ where: { source: connectionId } });
    expect(members).toHaveLength(500);
    expect(new Set(members.map((member) => member.externalId)).size).toBe(500);
    expect(await dataSource.getRepository(SyncConnectionEntity).findOneByOrFail({ id: connectionId })).toMatchObject({ leaseOwner: null });
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startScimUpstream, type ScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { SyncScheduler } from '../../src/sync/engine/sync.scheduler.js';
import {
  adminToken,
  type CreatedClient,
  createClient,
  createOrganization,
  createPlatformOrganization,
  obtainToken,
  requestToken,
} from '../support/factories.js';
import { ADMIN_CLIENT_SECRET, freePort, startTestApp, type TestApp } from '../support/test-app.js';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** A client of a new platform organization holding metrics:read (platform-only, like admin), and its token. */
async function metricsReader(t: TestApp, admin: string): Promise<{ client: CreatedClient; token: string }> {
  const platform = await createPlatformOrganization(t, admin, `Monitoring ${randomUUID().slice(0, 8)}`);
  const client = await createClient(t, admin, platform.id, { client_name: 'Prometheus', scope: 'metrics:read' });
  return { client, token: await obtainToken(t, client.client_id, client.client_secret) };
}

/** The value of one sample line of the scrape, by its exact name and labels. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics at GET /metrics (default access: the metrics:read scope)', () => {
  let t: TestApp;
  let upstream: ScimUpstream;
  let admin: string;
  let reader: { client: CreatedClient; token: string };
  let partnerClient: CreatedClient;
  let partner: string;
  let organizationId: string;
  let connectionId: string;
  /** Everything that must never show up in a scrape. */
  const secrets: string[] = [];
  const unknownClientId = `intruder-${randomUUID()}`;
  const memberId = randomUUID();
  const unmatchedPath = `/no/such/route/${randomUUID()}`;

  beforeAll(async () => {
    // The scheduler polls rarely: the test triggers its run and waits for it.
    t = await startTestApp({ SYNC_POLL_INTERVAL_MS: '600000' });
    upstream = await startScimUpstream({ users: 5, groups: 2, membersPerGroup: 2 });
    admin = await adminToken(t);
    reader = await metricsReader(t, admin);
    organizationId = (await createOrganization(t, admin, 'Measured Org')).id;
    partnerClient = await createClient(t, admin, organizationId, { scope: 'org:read members:read' });
    partner = await obtainToken(t, partnerClient.client_id, partnerClient.client_secret);
    secrets.push(ADMIN_CLIENT_SECRET, admin, reader.token, reader.client.client_secret, partnerClient.client_secret, partner);
    secrets.push(upstream.clientSecret);

    // Refused: a real client with a wrong secret, an unknown client, and an authenticated client asking too much.
    expect((await requestToken(t, partnerClient.client_id, 'not-the-secret-0123456789')).status).toBe(401);
    expect((await requestToken(t, unknownClientId, 'whatever-secret-0123456789')).status).toBe(401);
    expect((await requestToken(t, partnerClient.client_id, partnerClient.client_secret, 'admin')).status).toBe(400);
    // A routed 404 (no such member) and an unrouted one.
    expect((await t.http().get(`/api/v1/members/${memberId}`).auth(partner, { type: 'bearer' })).status).toBe(404);
    expect((await t.http().get(unmatchedPath)).status).toBe(404);

    const created = await t.http().post(`/admin/organizations/${organizationId}/sync-connections`).auth(admin, { type: 'bearer' }).send({
      name: 'Example IdP',
      kind: 'scim',
      base_url: upstream.baseUrl,
      token_url: upstream.tokenUrl,
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      interval_seconds: 3600,
    });
    expect(created.status).toBe(201);
    connectionId = created.body.id;
    const queued = await t.http().post(`/admin/sync-connections/${connectionId}/runs`).auth(admin, { type: 'bearer' });
    expect(queued.status).toBe(202);
    await t.app.get(SyncScheduler).idle();
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
  });

  const scrape = () => t.http().get('/metrics').auth(reader.token, { type: 'bearer' });

  it('serves the Prometheus text format, never cached', async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toMatch(/^# HELP orgsync_/m);
  });

  it('counts HTTP requests and their latency by route template and status, never by raw path', async () => {
    const { text } = await scrape();
    expect(sample(text, 'orgsync_http_requests_total{method="GET",route="/api/v1/members/:id",status="404"}')).toBe(1);
    expect(sample(text, 'orgsync_http_request_duration_seconds_count{method="GET",route="/api/v1/members/:id",status="404"}')).toBe(1);
    expect(
      sample(text, 'orgsync_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/members/:id",status="404"}'),
    ).toBe(1);
    expect(sample(text, 'orgsync_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    // The admin's, the reader's and the partner's tokens.
    expect(sample(text, 'orgsync_http_requests_total{method="POST",route="/oauth/token",status="200"}')).toBe(3);
    expect(sample(text, 'orgsync_http_requests_total{method="POST",route="/oauth/token",status="401"}')).toBe(2);
    expect(text).not.toContain(memberId);
    expect(text).not.toContain(unmatchedPath);
  });

  it('counts tokens issued by client and organization, and refusals by reason, naming only clients that authenticated', async () => {
    const { text } = await scrape();
    expect(sample(text, `orgsync_tokens_issued_total{client_id="${partnerClient.client_id}",organization_id="${organizationId}"}`)).toBe(1);
    // The wrong secret and the unknown client ID both stay anonymous.
    expect(sample(text, 'orgsync_tokens_refused_total{reason="invalid_client",client_id="unknown",organization_id="unknown"}')).toBe(2);
    expect(
      sample(
        text,
        `orgsync_tokens_refused_total{reason="invalid_scope",client_id="${partnerClient.client_id}",organization_id="${organizationId}"}`,
      ),
    ).toBe(1);
    expect(text).not.toContain(unknownClientId);
  });

  it('shows the one active signing key', async () => {
    const { text } = await scrape();
    expect(sample(text, 'orgsync_signing_keys{status="active"}')).toBe(1);
    expect(sample(text, 'orgsync_signing_keys{status="retired"}')).toBe(0);
  });

  it('counts the sync run, the records it wrote, its duration and its success time', async () => {
    const { text } = await scrape();
    const connection = `connection_id="${connectionId}"`;
    expect(sample(text, `orgsync_sync_runs_total{${connection},outcome="succeeded"}`)).toBe(1);
    expect(sample(text, `orgsync_sync_records_written_total{${connection},stream="members",change="created"}`)).toBe(5);
    expect(sample(text, `orgsync_sync_records_written_total{${connection},stream="groups",change="created"}`)).toBe(2);
    expect(sample(text, `orgsync_sync_run_duration_seconds_count{${connection}}`)).toBe(1);
    const lastSuccess = sample(text, `orgsync_sync_last_success_timestamp_seconds{${connection}}`);
    expect(lastSuccess).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(lastSuccess).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('shows the database pool and the process metrics', async () => {
    const { text } = await scrape();
    if (t.config.database.kind === 'postgres') {
      expect(sample(text, 'orgsync_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'orgsync_db_pool_connections{state="idle"}')).toEqual(expect.any(Number));
      expect(sample(text, 'orgsync_db_pool_connections{state="waiting"}')).toBe(0);
    } else {
      expect(sample(text, 'orgsync_db_pool_connections{state="total"}')).toBe(1);
    }
    expect(sample(text, 'orgsync_process_cpu_user_seconds_total')).toEqual(expect.any(Number));
    expect(sample(text, 'orgsync_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^orgsync_nodejs_eventloop_lag_seconds /m);
  });

  it('carries no secret, token or raw ID of a request anywhere in the scrape', async () => {
    const { text } = await scrape();
    for (const secret of [...secrets, unknownClientId, memberId, unmatchedPath, 'not-the-secret-0123456789']) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
  });

  it('refuses a scrape without a token, with an RFC 6750 challenge', async () => {
    const response = await t.http().get('/metrics');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync"');
  });

  it('refuses a partner token and an admin token without metrics:read (403 insufficient_scope)', async () => {
    for (const token of [partner, admin]) {
      const response = await t.http().get('/metrics').auth(token, { type: 'bearer' });
      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="orgsync", error="insufficient_scope", scope="metrics:read"');
    }
  });

  it('grants metrics:read only to clients of a platform organization', async () => {
    const response = await t
      .http()
      .post(`/admin/organizations/${organizationId}/clients`)
      .auth(admin, { type: 'bearer' })
      .send({ client_name: 'Sneaky scraper', scope: 'metrics:read' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'scope', message: 'the metrics:read scope may only be granted to clients of a platform organization' },
    ]);
  });
});

describe('metrics with METRICS_ACCESS=public', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_ACCESS: 'public' });
  });
  afterAll(() => t.close());

  it('serves the scrape without a token', async () => {
    const response = await t.http().get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(sample(response.text, 'orgsync_signing_keys{status="active"}')).toBe(1);
  });
});

describe('metrics with METRICS_ACCESS=off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_ACCESS: 'off' });
  });
  afterAll(() => t.close());

  it('serves no /metrics route at all', async () => {
    const response = await t
      .http()
      .get('/metrics')
      .auth(await adminToken(t), { type: 'bearer' });
    expect(response.status).toBe(404);
  });
});

describe('metrics on their own port (METRICS_PORT)', () => {
  let t: TestApp;
  let metricsPort: number;
  let reader: string;
  let closed = false;
  const metricsServer = () => request(`http://127.0.0.1:${metricsPort}`);

  beforeAll(async () => {
    metricsPort = await freePort();
    t = await startTestApp({ METRICS_PORT: String(metricsPort) });
    reader = (await metricsReader(t, await adminToken(t))).token;
  });
  afterAll(async () => {
    if (!closed) await t.close();
  });

  it('serves the scrape on the metrics port, to a token with metrics:read', async () => {
    const response = await metricsServer().get('/metrics').auth(reader, { type: 'bearer' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(sample(response.text, 'orgsync_signing_keys{status="active"}')).toBe(1);
    // Requests to the main port are counted there; the scrape itself is not an API request.
    expect(response.text).not.toContain('route="/metrics"');
  });

  it('checks the bearer token there as on the main port', async () => {
    const anonymous = await metricsServer().get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="orgsync"');
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    const forged = await metricsServer().get('/metrics').auth('not.a-real.token', { type: 'bearer' });
    expect(forged.status).toBe(401);
    expect(forged.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    const admin = await metricsServer()
      .get('/metrics')
      .auth(await adminToken(t), { type: 'bearer' });
    expect(admin.status).toBe(403);
  });

  it('answers nothing else on the metrics port', async () => {
    expect((await metricsServer().get('/api/v1/organization').auth(reader, { type: 'bearer' })).status).toBe(404);
  });

  it('does not serve /metrics on the main port', async () => {
    expect((await t.http().get('/metrics').auth(reader, { type: 'bearer' })).status).toBe(404);
  });

  it('stops listening when the application closes', async () => {
    await t.close();
    closed = true;
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
  });
});

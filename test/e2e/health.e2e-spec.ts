import { DataSource } from 'typeorm';
import type request from 'supertest';
import { ShutdownState } from '../../src/health/shutdown-state.js';
import { SigningKeyEntity } from '../../src/oauth/keys/signing-key.entity.js';
import { expectNoInternals } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Readiness {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string; pending?: string[] }>;
  details: Record<string, { status: string }>;
}

const ALL_UP = { lifecycle: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' }, signing_key: { status: 'up' } };

/** Polls readiness until `accept` holds: the signing key set is cached for a second, so a change shows within one. */
async function readinessWhen(t: TestApp, accept: (response: request.Response) => boolean): Promise<request.Response> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await t.http().get('/health/ready');
    if (accept(response)) return response;
    if (Date.now() > deadline) throw new Error(`Readiness never turned as expected; last answer ${response.status} ${response.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Nothing in a probe's body may name the database's address, user or password. */
function expectNoDatabaseDetails(t: TestApp, response: request.Response): void {
  expectNoInternals(response);
  const url = new URL(t.database.url.replace(/^sqlite:/, 'file:'));
  for (const secret of [t.database.url, url.pathname, url.password, url.username, url.hostname].filter((part) => part.length > 0)) {
    expect(response.text).not.toContain(secret);
  }
}

describe('health probes', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One token request per window from an address: probes are not OAuth requests and must not count.
    t = await startTestApp({ RATE_LIMIT_PER_ADDRESS: '1' });
  });
  afterAll(() => t.close());

  it('answers liveness with 200, without a token, never cached', async () => {
    const response = await t.http().get('/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers readiness with 200 and every check up, without a token, never cached', async () => {
    const response = await t.http().get('/health/ready');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ status: 'ok', info: ALL_UP, error: {}, details: ALL_UP });
  });

  it('is not charged against the OAuth rate limits', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await t.http().get('/health/ready')).status).toBe(200);
      expect((await t.http().get('/health/live')).status).toBe(200);
    }
  });

  it('answers 503 naming the migrations while one is pending, and 200 once it has run again', async () => {
    const dataSource = t.app.get(DataSource);
    const last = dataSource.migrations.at(-1)!;
    await dataSource.undoLastMigration({ transaction: 'each' });
    try {
      const response = await t.http().get('/health/ready');
      expect(response.status).toBe(503);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.body as Readiness;
      expect(body.status).toBe('error');
      expect(body.error).toEqual({ migrations: { status: 'down', message: '1 migration(s) pending.', pending: [last.name] } });
      expect(body.details).toMatchObject({ database: { status: 'up' }, signing_key: { status: 'up' } });
      expectNoDatabaseDetails(t, response);
    } finally {
      await dataSource.runMigrations({ transaction: 'each' });
    }
    expect((await t.http().get('/health/ready')).status).toBe(200);
  });

  it('answers 503 naming the signing key while no active key can be loaded, and 200 once one can', async () => {
    const keys = t.app.get(DataSource).getRepository(SigningKeyEntity);
    const active = await keys.findOneByOrFail({ status: 'active' });
    await keys.update({ kid: active.kid }, { status: 'retired' });
    try {
      const response = await readinessWhen(t, (candidate) => candidate.status !== 200);
      expect(response.status).toBe(503);
      const body = response.body as Readiness;
      expect(body.error).toEqual({ signing_key: { status: 'down', message: 'No active signing key could be loaded.' } });
      expect(response.text).not.toContain(active.privateKey);
      expectNoDatabaseDetails(t, response);
    } finally {
      await keys.update({ kid: active.kid }, { status: 'active' });
    }
    expect((await readinessWhen(t, (candidate) => candidate.status === 200)).body).toMatchObject({ status: 'ok' });
  });
});

describe('health probes of a replica that lost its database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DataSource).destroy();
  });
  afterAll(() => t.close());

  it('answers readiness with 503 naming the database, and nothing about where it is', async () => {
    const response = await t.http().get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body as Readiness;
    expect(body.status).toBe('error');
    expect(body.error).toMatchObject({ database: { status: 'down', message: expect.stringMatching(/^The database did not answer/) } });
    expect(body.details.lifecycle).toEqual({ status: 'up' });
    expectNoDatabaseDetails(t, response);
  });

  it('still answers liveness with 200: liveness never touches the database', async () => {
    const response = await t.http().get('/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers readiness with 503 naming the lifecycle once the replica begins to shut down', async () => {
    // What Nest calls first when the process gets SIGTERM (see test/e2e/lifecycle.e2e-spec.ts for the whole shutdown).
    t.app.get(ShutdownState).beforeApplicationShutdown();
    const response = await t.http().get('/health/ready');
    expect(response.status).toBe(503);
    const body = response.body as Readiness;
    // Terminus says 'shutting_down' instead of 'error' once its own shutdown hook has run too; either way, the check is named.
    expect(['error', 'shutting_down']).toContain(body.status);
    expect(body.error).toMatchObject({ lifecycle: { status: 'down', message: 'This replica is shutting down.' } });
  });
});

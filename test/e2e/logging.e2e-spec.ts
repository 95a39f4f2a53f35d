import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminToken } from '../support/factories.js';
import { LogCapture, startTestApp, type TestApp } from '../support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function linesOf(logs: LogCapture, requestId: string): Record<string, unknown>[] {
  return logs.lines().filter((line) => line.requestId === requestId);
}

describe('request IDs in the logs', () => {
  let t: TestApp;
  let admin: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace' }, undefined, { logs });
    admin = await adminToken(t);
  });
  afterAll(async () => t.close());

  it('takes the caller’s X-Request-Id, returns it, and logs the request under it', async () => {
    const response = await t
      .http()
      .get('/admin/organizations?limit=5')
      .auth(admin, { type: 'bearer' })
      .set('x-request-id', 'partner-trace.42:a_b-c');

    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('partner-trace.42:a_b-c');
    const completed = linesOf(logs, 'partner-trace.42:a_b-c').find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/admin/organizations',
      path: '/admin/organizations',
      status: 200,
      remoteAddress: '127.0.0.1',
    });
    expect(typeof completed?.responseTime).toBe('number');
  });

  it('makes a UUID for a request without one and logs under the ID it returns', async () => {
    const response = await t.http().get('/.well-known/oauth-authorization-server');

    const id = response.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(linesOf(logs, id).map((line) => line.msg)).toContain('request completed');
  });

  it.each([
    ['with a space', 'abc def'],
    ['with an encoded CRLF', 'x%0d%0aSet-Cookie:%20a=b'],
    ['with a quote and angle brackets', '"><script>'],
    ['longer than 128 characters', 'a'.repeat(129)],
  ])('replaces an X-Request-Id %s by a generated one, in the answer and the logs', async (_case, bad) => {
    const response = await t.http().get('/oauth/jwks').set('x-request-id', bad);

    const id = response.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(linesOf(logs, id).map((line) => line.msg)).toContain('request completed');
    expect(logs.text()).not.toContain(bad);
  });

  it('logs every request line as JSON with its ID, and the query of no URL', async () => {
    await t.http().get('/admin/organizations?name=needle-in-query').auth(admin, { type: 'bearer' });

    const requestLines = logs.lines().filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(3);
    for (const line of requestLines) expect(line.requestId).toEqual(expect.any(String));
    expect(logs.text()).not.toContain('needle-in-query');
  });
});

describe('LOG_LEVEL', () => {
  let t: TestApp;
  const logs = new LogCapture();

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' }, undefined, { logs });
  });
  afterAll(async () => t.close());

  it('at warn, writes no info line: neither start-up nor request lines', async () => {
    await adminToken(t);
    await t.http().get('/oauth/jwks');
    await t.http().get('/admin/organizations');

    expect(logs.lines().filter((line) => !['warn', 'error', 'fatal'].includes(String(line.level)))).toEqual([]);
  });
});

describe('LOG_LEVEL', () => {
  let t: TestApp;
  const logs = new LogCapture();

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, undefined, { logs });
  });
  afterAll(async () => t.close());

  it('at info, logs Nest’s lines with their context and each request once, but neither trace nor debug', async () => {
    await t.http().get('/oauth/jwks');

    const lines = logs.lines();
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', context: 'Bootstrap' }));
    expect(lines.filter((line) => line.msg === 'request completed' && line.path === '/oauth/jwks')).toHaveLength(1);
    expect(lines.filter((line) => line.level === 'debug' || line.level === 'trace')).toEqual([]);
    // main.ts prints the one start-up line; Fastify's own, one per address, stay out.
    expect(lines.filter((line) => String(line.msg).startsWith('Server listening'))).toEqual([]);
  });
});

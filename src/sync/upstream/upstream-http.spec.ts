import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { retryAfter, UpstreamHttp } from './upstream-http.js';
import { UpstreamError } from './upstream-errors.js';

describe('retryAfter', () => {
  it('reads delay-seconds and HTTP dates (RFC 9110 section 10.2.3)', () => {
    expect(retryAfter('7')).toBe(7);
    expect(retryAfter(new Date(60_000).toUTCString(), 0)).toBe(60);
    expect(retryAfter('soon')).toBeUndefined();
    expect(retryAfter(null)).toBeUndefined();
  });
});

describe('UpstreamHttp against a real loopback server', () => {
  let server: Server;
  let url: string;
  const answers: Array<(res: import('node:http').ServerResponse) => void> = [];
  const sleeps: number[] = [];
  const withTimeout = (timeoutMs: number): UpstreamHttp =>
    new UpstreamHttp({
      timeoutMs,
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5_000 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  // Generous, so a loaded machine never turns an answer into a timeout; the hanging case has its own short one.
  const http = withTimeout(10_000);

  beforeAll(async () => {
    server = createServer((_req, res) => (answers.shift() ?? ((r) => r.end('{}')))(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x?filter=secret`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    answers.length = 0;
    sleeps.length = 0;
  });

  const json =
    (status: number, body: string, headers: Record<string, string> = {}) =>
    (res: import('node:http').ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };

  it('retries a 500 and then succeeds', async () => {
    answers.push(json(500, '{}'), json(200, '{"ok":true}'));
    expect((await http.request(url, {})).body).toEqual({ ok: true });
    expect(sleeps).toHaveLength(1);
  });

  it('waits as long as Retry-After says on 429 and 503', async () => {
    answers.push(json(429, '{}', { 'retry-after': '2' }), json(503, '{}', { 'retry-after': '1' }), json(200, '{}'));
    await http.request(url, {});
    expect(sleeps).toEqual([2000, 1000]);
  });

  it('gives up after its bounded attempts', async () => {
    answers.push(json(500, '{}'), json(502, '{}'), json(504, '{}'));
    await expect(http.request(url, {})).rejects.toMatchObject({ retryable: true, status: 504 });
  });

  it('times out a request that hangs, and never puts the query in the message', async () => {
    answers.push(
      () => undefined,
      () => undefined,
      () => undefined,
    );
    const error = await withTimeout(200)
      .request(url, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/did not answer within 200 ms/);
    expect((error as Error).message).not.toContain('secret');
  });

  it('refuses a body that is not JSON without retrying', async () => {
    answers.push(json(200, '{"broken'));
    await expect(http.request(url, {})).rejects.toMatchObject({ retryable: false });
    expect(sleeps).toHaveLength(0);
  });
});

import { type ScimUpstream, startScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { idsOf, listPage, obtainUpstreamToken, requestToken, scimGet, walkByCursor, walkByIndex } from './scim-test-client.js';

describe('example SCIM upstream: fault injection', () => {
  let upstream: ScimUpstream;
  let token: string;

  beforeAll(async () => {
    upstream = await startScimUpstream({ users: 50, cursorPaging: true });
    token = await obtainUpstreamToken(upstream);
  });
  afterEach(() => upstream.faults.clear());
  afterAll(() => upstream.close());

  it('answers the next request with a 500 SCIM error, then recovers', async () => {
    upstream.faults.serverError();

    const failed = await scimGet(upstream, '/Users', token);
    const next = await scimGet(upstream, '/Users', token);

    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500' });
    expect(next.status).toBe(200);
    expect(upstream.faults.pending).toBe(0);
  });

  it('answers 503 and 429 with Retry-After, as many times as armed', async () => {
    upstream.faults.throttle({ status: 503, retryAfterSeconds: 7, times: 2 });
    upstream.faults.throttle({ status: 429, retryAfterSeconds: 2 });

    const responses = [];
    for (let i = 0; i < 4; i += 1) responses.push(await scimGet(upstream, '/Users', token));

    expect(responses.map((response) => [response.status, response.headers.get('retry-after')])).toEqual([
      [503, '7'],
      [503, '7'],
      [429, '2'],
      [200, null],
    ]);
  });

  it('applies a fault only to its endpoint', async () => {
    upstream.faults.serverError({ endpoint: 'Groups' });

    expect((await scimGet(upstream, '/Users', token)).status).toBe(200);
    expect((await scimGet(upstream, '/Groups', token)).status).toBe(500);
  });

  it('hangs a request until the client gives up', async () => {
    upstream.faults.hang();

    await expect(scimGet(upstream, '/Users', token, {}, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/aborted|timeout/i);
    expect((await scimGet(upstream, '/Users', token)).status).toBe(200);
  });

  it('sends a body that is not JSON', async () => {
    upstream.faults.malformedJson();

    const response = await scimGet(upstream, '/Users', token);

    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(/JSON/);
  });

  it('closes the connection mid-response', async () => {
    upstream.faults.dropConnection();

    await expect(scimGet(upstream, '/Users', token).then((response) => response.text())).rejects.toThrow();
    expect((await scimGet(upstream, '/Users', token)).status).toBe(200);
  });

  it('fails the third page of /Users once, by index', async () => {
    upstream.faults.failPage(3);

    const third = { startIndex: 21, count: 10 };
    expect((await scimGet(upstream, '/Users', token, { startIndex: 11, count: 10 })).status).toBe(200);
    expect((await scimGet(upstream, '/Users', token, third)).status).toBe(500);
    expect((await scimGet(upstream, '/Users', token, third)).status).toBe(200);
  });

  it('fails the third page of /Users every time, by cursor, while the others succeed', async () => {
    upstream.faults.failPage(3, { times: 'always' });
    const first = await listPage(upstream, '/Users', token, { cursor: '', count: 10 });
    const second = await listPage(upstream, '/Users', token, { cursor: first.nextCursor ?? '', count: 10 });

    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await scimGet(upstream, '/Users', token, { cursor: second.nextCursor ?? '', count: 10 })).status).toBe(500);
    }
    expect((await scimGet(upstream, '/Groups', token, { startIndex: 21, count: 10 })).status).toBe(200);
    expect(upstream.faults.pending).toBe(1);
  });

  it('revokes every issued token at once, so the next call gets 401 until the client gets a new one', async () => {
    const old = await obtainUpstreamToken(upstream);
    upstream.faults.revokeAllTokens();

    const refused = await scimGet(upstream, '/Users', old);
    token = await obtainUpstreamToken(upstream);

    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect((await scimGet(upstream, '/Users', token)).status).toBe(200);
  });

  it('rejects token requests with invalid_client while armed', async () => {
    upstream.faults.rejectTokenRequests({ times: 1 });

    const rejected = await requestToken(upstream, upstream);
    const accepted = await requestToken(upstream, upstream);

    expect([rejected.status, await rejected.json()]).toEqual([401, expect.objectContaining({ error: 'invalid_client' })]);
    expect(accepted.status).toBe(200);
  });

  it('fails the token endpoint itself when told to, and leaves it alone otherwise', async () => {
    upstream.faults.serverError();
    expect((await requestToken(upstream, upstream)).status).toBe(200);
    upstream.faults.clear();

    upstream.faults.throttle({ endpoint: 'token', retryAfterSeconds: 3 });
    const throttled = await requestToken(upstream, upstream);

    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([503, '3']);
    expect(await throttled.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });
});

describe('example SCIM upstream: stats', () => {
  it('counts token and API requests and records the Authorization headers, so token reuse can be checked', async () => {
    const upstream = await startScimUpstream({ users: 30 });
    try {
      const token = await obtainUpstreamToken(upstream);
      await walkByIndex(upstream, '/Users', token, 10);
      await scimGet(upstream, '/ServiceProviderConfig', token);
      await scimGet(upstream, '/Users', undefined);

      expect([upstream.stats.tokenRequests, upstream.stats.tokensIssued]).toEqual([1, 1]);
      expect(upstream.stats.apiRequests).toEqual({ '/Users': 4, '/ServiceProviderConfig': 1 });
      expect(upstream.stats.authorizations).toEqual([...Array<string>(4).fill(`Bearer ${token}`), undefined]);
      expect(upstream.stats.bearerTokens).toEqual([token]);
      expect(upstream.stats.apiRequestLog[1]).toMatchObject({ method: 'GET', path: '/Users', query: 'startIndex=11&count=10' });

      upstream.stats.reset();
      expect([upstream.stats.tokenRequests, upstream.stats.totalApiRequests, upstream.stats.apiRequests]).toEqual([0, 0, {}]);
    } finally {
      await upstream.close();
    }
  });
});

describe('example SCIM upstream: close()', () => {
  it('ends hung requests and returns', async () => {
    const upstream = await startScimUpstream({ users: 1 });
    const token = await obtainUpstreamToken(upstream);
    upstream.faults.hang({ times: 'always' });
    const hung = [scimGet(upstream, '/Users', token), scimGet(upstream, '/Groups', token)];
    const outcomes = Promise.allSettled(hung);
    await new Promise((resolve) => setTimeout(resolve, 50));

    await upstream.close();

    expect((await outcomes).map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('example SCIM upstream: 100,000 users', () => {
  let upstream: ScimUpstream;
  let token: string;

  beforeAll(async () => {
    upstream = await startScimUpstream({ users: 100_000, groups: 1_000, membersPerGroup: 50, cursorPaging: true });
    token = await obtainUpstreamToken(upstream);
  }, 60_000);
  afterAll(() => upstream.close());

  it('serves every user once in pages of 1,000 by index', async () => {
    const pages = await walkByIndex(upstream, '/Users', token, 1_000);
    const ids = idsOf(pages);

    expect(pages).toHaveLength(100);
    expect(new Set(ids).size).toBe(100_000);
  }, 120_000);

  it('serves every user once in pages of 1,000 by cursor, and every group', async () => {
    const users = idsOf(await walkByCursor(upstream, '/Users', token, 1_000));
    const groups = idsOf(await walkByCursor(upstream, '/Groups', token, 1_000));

    expect(new Set(users).size).toBe(100_000);
    expect(groups).toHaveLength(1_000);
  }, 120_000);
});

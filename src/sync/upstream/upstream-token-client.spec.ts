import { jest } from '@jest/globals';
import { UpstreamAuthError } from './upstream-errors.js';
import type { UpstreamHttp } from './upstream-http.js';
import { type SharedToken, type SharedTokenCache, UpstreamTokenClient } from './upstream-token-client.js';

type Request = UpstreamHttp['request'];

function tokenResponse(token: string, expiresIn = 3600) {
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn }, headers: new Headers() };
}

describe('UpstreamTokenClient', () => {
  let request: jest.Mock<Request>;
  let now: number;
  let client: UpstreamTokenClient;
  const credentials = {
    tokenUrl: 'https://idp.test/token',
    clientId: 'worker id',
    clientSecret: 'p@ss:w+rd',
    tokenEndpointAuthMethod: 'client_secret_basic' as const,
    scope: 'scim.read',
    resource: null,
  };

  beforeEach(() => {
    now = 1_000_000;
    request = jest.fn<Request>();
    client = new UpstreamTokenClient(credentials, { request } as unknown as UpstreamHttp, () => now);
  });

  it('asks with client credentials, Basic form-encoded (RFC 6749 Appendix B), and caches the token', async () => {
    request.mockResolvedValue(tokenResponse('t1'));
    expect(await client.accessToken()).toBe('t1');
    expect(await client.accessToken()).toBe('t1');
    expect(request).toHaveBeenCalledTimes(1);
    const [url, init] = request.mock.calls[0]!;
    expect(url).toBe('https://idp.test/token');
    expect((init.headers as Record<string, string>).authorization).toBe(
      `Basic ${Buffer.from('worker+id:p%40ss%3Aw%2Brd').toString('base64')}`,
    );
    expect(new URLSearchParams(init.body as string).get('scope')).toBe('scim.read');
    expect(new URLSearchParams(init.body as string).get('client_secret')).toBeNull();
  });

  it('sends the credentials in the body for client_secret_post', async () => {
    client = new UpstreamTokenClient(
      { ...credentials, tokenEndpointAuthMethod: 'client_secret_post' },
      { request } as unknown as UpstreamHttp,
      () => now,
    );
    request.mockResolvedValue(tokenResponse('t1'));
    await client.accessToken();
    const body = new URLSearchParams(request.mock.calls[0]![1].body as string);
    expect([body.get('client_id'), body.get('client_secret')]).toEqual(['worker id', 'p@ss:w+rd']);
  });

  it('refreshes shortly before the token expires', async () => {
    request.mockResolvedValueOnce(tokenResponse('t1', 600)).mockResolvedValueOnce(tokenResponse('t2', 600));
    await client.accessToken();
    now += 600_000 - 30_000 - 1;
    expect(await client.accessToken()).toBe('t1');
    now += 2;
    expect(await client.accessToken()).toBe('t2');
  });

  it('makes one token request for many concurrent callers', async () => {
    let release: (value: Awaited<ReturnType<Request>>) => void = () => undefined;
    request.mockReturnValue(new Promise((resolve) => (release = resolve)));
    const callers = Promise.all([client.accessToken(), client.accessToken(), client.accessToken()]);
    release(tokenResponse('t1'));
    expect(await callers).toEqual(['t1', 't1', 't1']);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('fetches a new token after the upstream refused the cached one', async () => {
    request.mockResolvedValueOnce(tokenResponse('t1')).mockResolvedValueOnce(tokenResponse('t2'));
    await client.accessToken();
    client.invalidate('t1');
    expect(await client.accessToken()).toBe('t2');
  });

  it.each(['invalid_client', 'invalid_scope'])('states %s plainly and does not retry', async (error) => {
    request.mockResolvedValue({ status: 400, body: { error, error_description: 'no' }, headers: new Headers() });
    await expect(client.accessToken()).rejects.toThrow(UpstreamAuthError);
    await expect(client.accessToken()).rejects.toThrow(`refused the request: ${error} (no)`);
  });

  it('never repeats our secret when the upstream echoes it (the reason reaches logs and run records)', async () => {
    request.mockResolvedValue({
      status: 401,
      body: { error: 'invalid_client', error_description: 'secret p@ss:w+rd is not valid' },
      headers: new Headers(),
    });
    await expect(client.accessToken()).rejects.toThrow('refused the request: invalid_client (secret [redacted] is not valid)');
  });

  describe('with a cache shared by the replicas', () => {
    let stored: SharedToken | undefined;
    let shared: jest.Mocked<SharedTokenCache>;

    beforeEach(() => {
      stored = undefined;
      shared = {
        load: jest.fn(async () => stored),
        save: jest.fn(async (token: SharedToken) => void (stored = token)),
        drop: jest.fn(async (refused: string) => void (stored?.value === refused && (stored = undefined))),
      };
      client = new UpstreamTokenClient(credentials, { request } as unknown as UpstreamHttp, () => now, shared);
    });

    it('uses the token another replica stored instead of fetching one', async () => {
      stored = { value: 'theirs', fetchedAt: now - 60_000, expiresAt: now + 600_000 };
      expect(await client.accessToken()).toBe('theirs');
      expect(await client.accessToken()).toBe('theirs');
      expect(request).not.toHaveBeenCalled();
      expect(shared.load).toHaveBeenCalledTimes(1);
    });

    it('fetches and stores a new token when the stored one is within the safety margin of its expiry', async () => {
      stored = { value: 'stale', fetchedAt: now - 3_570_000, expiresAt: now + 29_000 };
      request.mockResolvedValue(tokenResponse('fresh', 3600));
      expect(await client.accessToken()).toBe('fresh');
      expect(shared.save).toHaveBeenCalledWith({ value: 'fresh', fetchedAt: now, expiresAt: now + 3_600_000 });
    });

    it('makes one load and one fetch for many concurrent callers', async () => {
      request.mockResolvedValue(tokenResponse('t1'));
      expect(await Promise.all([client.accessToken(), client.accessToken(), client.accessToken()])).toEqual(['t1', 't1', 't1']);
      expect(shared.load).toHaveBeenCalledTimes(1);
      expect(request).toHaveBeenCalledTimes(1);
    });

    it('drops the refused token from the shared cache too, and takes a newer one stored meanwhile rather than fetching', async () => {
      stored = { value: 'old', fetchedAt: now, expiresAt: now + 3_600_000 };
      expect(await client.accessToken()).toBe('old');
      await client.invalidate('old');
      expect(shared.drop).toHaveBeenCalledWith('old');
      stored = { value: 'newer', fetchedAt: now, expiresAt: now + 3_600_000 };
      expect(await client.accessToken()).toBe('newer');
      expect(request).not.toHaveBeenCalled();
    });

    it('after a 401 with nothing newer stored, fetches exactly one new token', async () => {
      stored = { value: 'old', fetchedAt: now, expiresAt: now + 3_600_000 };
      request.mockResolvedValue(tokenResponse('new'));
      await client.accessToken();
      await client.invalidate('old');
      expect(await client.accessToken()).toBe('new');
      expect(request).toHaveBeenCalledTimes(1);
      expect(stored).toMatchObject({ value: 'new' });
    });
  });
});

import { jest } from '@jest/globals';
import type { UpstreamHttp } from './upstream-http.js';
import { UpstreamRefusedError } from './upstream-errors.js';
import { UpstreamSession } from './upstream-session.js';
import type { UpstreamTokenClient } from './upstream-token-client.js';

describe('UpstreamSession', () => {
  it('never repeats our bearer token when the upstream echoes it in a SCIM error (the reason reaches logs and run records)', async () => {
    const tokens = { accessToken: jest.fn(async () => 'opaque-upstream-token'), invalidate: jest.fn() };
    const request = jest.fn<UpstreamHttp['request']>().mockResolvedValue({
      status: 403,
      body: { scimType: 'forbidden', detail: 'token opaque-upstream-token may not read Users' },
      headers: new Headers(),
    });
    const session = new UpstreamSession(tokens as unknown as UpstreamTokenClient, { request } as unknown as UpstreamHttp);

    await expect(session.getJson('https://idp.test/scim/Users')).rejects.toThrow(
      'The upstream answered 403: forbidden, token [redacted] may not read Users',
    );
  });

  it('hands on the SCIM error keyword (RFC 7644 section 3.12), for a connector to tell an expired cursor from other refusals', async () => {
    const tokens = { accessToken: jest.fn(async () => 'opaque-upstream-token'), invalidate: jest.fn() };
    const request = jest.fn<UpstreamHttp['request']>().mockResolvedValue({
      status: 400,
      body: { status: '400', scimType: 'expiredCursor', detail: 'The cursor is older than the cursorTimeout.' },
      headers: new Headers(),
    });
    const session = new UpstreamSession(tokens as unknown as UpstreamTokenClient, { request } as unknown as UpstreamHttp);
    const error = await session.getJson('https://idp.test/scim/Users?cursor=abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRefusedError);
    expect(error).toMatchObject({ status: 400, scimType: 'expiredCursor', retryable: false });
  });
});

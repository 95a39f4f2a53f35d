import { pino } from 'pino';
import { anchoredRedactPaths, REDACTED, redactedPaths, scrubSecrets } from './log-redaction.js';

describe('scrubSecrets', () => {
  it.each([
    ['a JWT', 'token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl refused', 'token [Redacted] refused'],
    ['an orgsync client secret', 'secret orgsync_cs_AbC-123_xyz was wrong', 'secret [Redacted] was wrong'],
    ['bearer credentials', 'sent Authorization: Bearer opaque.token-value_1', 'sent Authorization: Bearer [Redacted]'],
    ['Basic credentials', 'header Basic dXNlcjpwYXNz=', 'header Basic [Redacted]'],
    [
      'the password of a URL',
      'cannot reach postgres://orgsync:hunter2@db:5432/orgsync',
      'cannot reach postgres://[Redacted]@db:5432/orgsync',
    ],
    ['form parameters', 'body grant_type=x&client_secret=abc&token=def', 'body grant_type=x&client_secret=[Redacted]&token=[Redacted]'],
  ])('replaces %s', (_what, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Sync run 01a2 of connection 01b3 failed: https://scim.example.com/Users answered 503';
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('redactedPaths', () => {
  function logged(fields: Record<string, unknown>): string {
    const lines: string[] = [];
    pino({ redact: { paths: redactedPaths(), censor: REDACTED } }, { write: (line: string) => lines.push(line) }).info(fields, 'x');
    return lines.join('');
  }

  it('redacts credentials in headers and secret fields down to three levels', () => {
    const line = logged({
      client_secret: 'top-secret-0',
      req: { headers: { authorization: 'Bearer header-secret-1', cookie: 'c=cookie-secret-2', 'proxy-authorization': 'proxy-secret-3' } },
      body: { client_assertion: 'assertion-secret-4', nested: { access_token: 'token-secret-5', password: 'password-secret-6' } },
      connection: { clientSecret: 'connection-secret-7' },
    });
    expect(line).not.toMatch(/secret-\d/);
    expect(JSON.parse(line).req.headers.authorization).toBe(REDACTED);
  });
});

describe('anchoredRedactPaths', () => {
  function logged(fields: Record<string, unknown>): Record<string, unknown> {
    const lines: string[] = [];
    pino({ redact: { paths: anchoredRedactPaths(), censor: REDACTED } }, { write: (line: string) => lines.push(line) }).info(fields, 'x');
    return JSON.parse(lines.join('')) as Record<string, unknown>;
  }

  it('redacts secret names at the top of a line and down to three levels under object fields', () => {
    const line = logged({
      client_secret: 'top-secret-0',
      authorization: 'Bearer top-secret-1',
      detail: { client_assertion: 'detail-secret-2', nested: { access_token: 'detail-secret-3', deeper: { password: 'detail-secret-4' } } },
      body: { token: 'body-secret-5' },
      connection: { clientSecret: 'connection-secret-6' },
      headers: { 'proxy-authorization': 'Basic header-secret-7' },
    });
    expect(JSON.stringify(line)).not.toMatch(/secret-\d/);
    expect(line).toMatchObject({ client_secret: REDACTED, detail: { nested: { deeper: { password: REDACTED } } } });
  });

  it('starts no path with a wildcard, so lines without those fields are never walked', () => {
    expect(anchoredRedactPaths().filter((path) => path.startsWith('*'))).toEqual([]);
    const fields = { method: 'GET', route: '/api/v1/members/:id', path: '/api/v1/members/1', status: 200, responseTime: 1.5 };
    expect(logged(fields)).toMatchObject(fields);
  });
});

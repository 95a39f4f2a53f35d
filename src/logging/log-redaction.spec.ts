import { pino } from 'pino';
import { REDACTED, redactedPaths, scrubSecrets } from './log-redaction.js';

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

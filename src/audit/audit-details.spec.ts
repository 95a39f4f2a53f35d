import { REDACTED, sanitizeDetails } from './audit-details.js';

describe('sanitizeDetails', () => {
  it.each([
    'secret',
    'client_secret',
    'clientSecret',
    'token',
    'access_token',
    'refresh_token',
    'client_assertion',
    'password',
    'Authorization',
    'private_key',
  ])('redacts a value under the key %s', (key) => {
    expect(sanitizeDetails({ [key]: 'sensitive' })).toEqual({ [key]: REDACTED });
  });

  it.each(['secret_id', 'token_type_hint', 'token_endpoint_auth_method', 'client_assertion_type', 'jti', 'scope', 'expires_at'])(
    'keeps %s, which describes a secret or token without holding it',
    (key) => {
      expect(sanitizeDetails({ [key]: 'kept' })).toEqual({ [key]: 'kept' });
    },
  );

  it('redacts a JWT wherever it appears, in arrays and nested objects too', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJ4In0.sig_nature';
    expect(sanitizeDetails({ reason: `bad ${jwt}`, list: [jwt, 'ok'], deep: { a: jwt } })).toEqual({
      reason: REDACTED,
      list: [REDACTED, 'ok'],
      deep: { a: REDACTED },
    });
  });

  it('keeps plain facts, drops undefined and writes dates as RFC 3339', () => {
    expect(
      sanitizeDetails({
        changed: ['status', 'client_secret'],
        status: 'disabled',
        n: 3,
        ok: true,
        none: null,
        gone: undefined,
        at: new Date(0),
      }),
    ).toEqual({ changed: ['status', 'client_secret'], status: 'disabled', n: 3, ok: true, none: null, at: '1970-01-01T00:00:00.000Z' });
  });

  it('bounds depth and string length, so one event cannot grow without limit', () => {
    const sanitized = sanitizeDetails({ a: { b: { c: { d: { e: 1 } } } }, long: 'x'.repeat(5000) });
    expect(sanitized).toEqual({ a: { b: { c: { d: REDACTED } } }, long: `${'x'.repeat(1000)}…` });
  });
  it('keeps a "__proto__" key as an own key of the details, never as their prototype', () => {
    const sanitized = sanitizeDetails(JSON.parse('{"__proto__": {"client_secret": "s3cret"}, "n": 1}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(sanitized)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(sanitized))).toEqual(JSON.parse('{"__proto__": {"client_secret": "[redacted]"}, "n": 1}'));
  });

  it('redacts a sensitive key and a JWT-like value on every event, not only the first', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    for (let i = 0; i < 3; i += 1) {
      expect(sanitizeDetails({ client_secret: 'x', note: `token ${jwt}`, secret_id: 'id' })).toEqual({
        client_secret: REDACTED,
        note: REDACTED,
        secret_id: 'id',
      });
    }
  });
});

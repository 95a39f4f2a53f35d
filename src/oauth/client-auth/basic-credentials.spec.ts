import { parseBasicAuthorization } from './basic-credentials.js';

const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('reads the client ID and secret', () => {
    expect(parseBasicAuthorization(basic('client:secret'))).toEqual({ clientId: 'client', clientSecret: 'secret' });
  });

  it('form-urldecodes both parts (RFC 6749 Appendix B)', () => {
    expect(parseBasicAuthorization(basic('a%3Ab+c:s%25%2B+t'))).toEqual({ clientId: 'a:b c', clientSecret: 's%+ t' });
  });

  it('splits at the first colon only', () => {
    expect(parseBasicAuthorization(basic('id:sec:ret'))).toEqual({ clientId: 'id', clientSecret: 'sec:ret' });
  });

  it('accepts the scheme name in any case', () => {
    expect(parseBasicAuthorization(`bAsIc ${Buffer.from('a:b').toString('base64')}`)).toEqual({ clientId: 'a', clientSecret: 'b' });
  });

  it('ignores other schemes', () => {
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64', 'Basic !!!'],
    ['no colon', basic('nocolon')],
    ['no client ID', basic(':secret')],
    ['bad percent-encoding', basic('a%zz:b')],
    ['an empty credential', 'Basic'],
  ])('refuses %s as invalid_request', (_label, header) => {
    let thrown: unknown;
    try {
      parseBasicAuthorization(header);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'OAuthError', error: 'invalid_request' });
  });
});

import { OAuthError } from '../errors/oauth-error.js';
import { parseFormBody, singleParameter } from './form-urlencoded.js';

function invalidRequest(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError && error.error === 'invalid_request') return error.description;
    throw error;
  }
  throw new Error('expected invalid_request');
}

describe('parseFormBody', () => {
  it('decodes names and values, with + as a space', () => {
    const params = parseFormBody(Buffer.from('grant_type=client_credentials&scope=org%3Aread+members%3Aread'));
    expect(params.get('grant_type')).toEqual(['client_credentials']);
    expect(params.get('scope')).toEqual(['org:read members:read']);
  });

  it('keeps every value of a repeated name so repeats can be refused', () => {
    expect(parseFormBody(Buffer.from('a=1&a=2')).get('a')).toEqual(['1', '2']);
  });

  it('reads an empty body as no parameters', () => {
    expect(parseFormBody(Buffer.alloc(0)).size).toBe(0);
  });

  it('refuses malformed percent-encoding', () => {
    expect(invalidRequest(() => parseFormBody(Buffer.from('grant_type=%zz')))).toMatch(/percent-encoding/);
    expect(invalidRequest(() => parseFormBody(Buffer.from('scope=%E0%A4%A')))).toMatch(/percent-encoding/);
  });

  it('refuses percent-encoded bytes that are not UTF-8', () => {
    expect(invalidRequest(() => parseFormBody(Buffer.from('scope=%FF')))).toMatch(/percent-encoding/);
  });

  it('refuses raw bytes that are not UTF-8', () => {
    expect(invalidRequest(() => parseFormBody(Buffer.from([0x67, 0x3d, 0xff, 0xfe])))).toMatch(/UTF-8/);
  });

  it('refuses a body with an absurd number of parameters', () => {
    expect(invalidRequest(() => parseFormBody(Buffer.from(Array.from({ length: 100 }, (_, i) => `p${i}=1`).join('&'))))).toMatch(
      /too many/,
    );
  });
});

describe('singleParameter', () => {
  it('treats an empty value as absent (RFC 6749 section 3.1)', () => {
    expect(singleParameter(parseFormBody(Buffer.from('scope=')), 'scope')).toBeUndefined();
  });

  it('refuses a parameter included more than once', () => {
    expect(invalidRequest(() => singleParameter(parseFormBody(Buffer.from('scope=a&scope=b')), 'scope'))).toBe(
      'The scope parameter is included more than once.',
    );
  });
});

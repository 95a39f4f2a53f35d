import { upstreamUrlProblem } from './upstream-url.js';

describe('upstreamUrlProblem', () => {
  it.each([
    'https://scim.example.com/scim/v2',
    'http://127.0.0.1:8080/scim',
    'HTTPS://SCIM.EXAMPLE.COM/',
    'https://scim.example.com/v2?tenant=acme',
    'https://[::1]:8443/scim',
    `https://e.example/${'a'.repeat(2048 - 'https://e.example/'.length)}`,
  ])('accepts %s', (url) => {
    expect(upstreamUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ['', 'must be an absolute http or https URL'],
    ['/scim/v2', 'must be an absolute http or https URL'],
    ['ftp://scim.example.com', 'must be an absolute http or https URL'],
    ['https:scim.example.com', 'must be an absolute http or https URL'],
    ['https://user:pass@scim.example.com', 'must not contain a user name or password'],
    ['https://@scim.example.com', 'must not contain a user name or password'],
    ['https://scim.example.com/#', 'must not have a fragment (#...)'],
    ['https://scim.example.com/?q=a#b', 'must not have a fragment (#...)'],
    ['https://scim.exa\nmple.com', 'must not contain whitespace, control characters or backslashes'],
    ['https://scim.example.com\\@evil.example', 'must not contain whitespace, control characters or backslashes'],
    ['https:///scim', 'must name a host'],
    ['https://:443/scim', 'must name a host'],
    ['https://scim.example.com:70000', 'must be an absolute http or https URL'],
    [`https://e.example/${'a'.repeat(2049 - 'https://e.example/'.length)}`, 'must be at most 2048 characters'],
  ])('refuses %j: %s', (url, problem) => {
    expect(upstreamUrlProblem(url)).toBe(problem);
  });

  it('finds userinfo in the authority only, not an @ in the path or query', () => {
    expect(upstreamUrlProblem('https://scim.example.com/users/@me?as=a@b')).toBeUndefined();
  });
});

import { formatScopes, isKnownScope, parseScopeString } from './scopes.js';

describe('scopes', () => {
  it('splits a space-delimited scope string and drops repeats', () => {
    expect(parseScopeString('members:read org:read members:read')).toEqual(['members:read', 'org:read']);
  });

  it.each([' org:read', 'org:read ', 'org:read  members:read', 'org:"read', 'org\\read', 'org:read\tx', ''])(
    'rejects %j, which breaks the RFC 6749 section 3.3 grammar',
    (value) => {
      expect(parseScopeString(value)).toBeUndefined();
    },
  );

  it('knows only the catalogue', () => {
    expect(isKnownScope('members:read')).toBe(true);
    expect(isKnownScope('toString')).toBe(false);
    expect(isKnownScope('members:delete')).toBe(false);
  });

  it('formats scopes in catalogue order', () => {
    expect(formatScopes(['groups:read', 'org:read', 'unknown'])).toBe('org:read groups:read');
  });
});

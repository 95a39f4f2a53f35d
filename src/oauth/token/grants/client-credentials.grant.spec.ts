import { clientAuthRecord } from '../../../../test/support/client-auth-record.js';
import type { ClientAuthRecord } from '../../../clients/client-directory.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { grantedScopes } from './client-credentials.grant.js';

function client(overrides: Partial<ClientAuthRecord> = {}): ClientAuthRecord {
  return clientAuthRecord({ allowedScopes: new Set(['org:read', 'members:read', 'groups:read']), ...overrides });
}

function invalidScope(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError && error.error === 'invalid_scope') return error.description;
    throw error;
  }
  throw new Error('expected invalid_scope');
}

describe('grantedScopes', () => {
  it('grants the default scopes when none are requested', () => {
    expect(grantedScopes(undefined, client())).toEqual(['org:read']);
  });

  it('grants exactly the requested scopes, in canonical order', () => {
    expect(grantedScopes('groups:read org:read', client())).toEqual(['org:read', 'groups:read']);
  });

  it('refuses the whole request when any requested scope is not allowed', () => {
    expect(invalidScope(() => grantedScopes('org:read members:write', client()))).toContain('members:write');
  });

  it('refuses unknown scopes', () => {
    expect(invalidScope(() => grantedScopes('root', client()))).toContain('root');
  });

  it('refuses a scope string that breaks the RFC 6749 grammar', () => {
    expect(invalidScope(() => grantedScopes('org:read  members:read', client()))).toMatch(/malformed/);
  });

  it('asks for a scope when the client has no defaults', () => {
    expect(invalidScope(() => grantedScopes(undefined, client({ defaultScopes: [] })))).toMatch(/default/);
  });
});

import { DomainError } from '../common/errors/domain-error.js';
import { checkScopeSettings } from './client-scope-policy.js';

function fieldErrors(run: () => unknown): Array<{ field: string; message: string }> {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return [...error.fieldErrors];
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('checkScopeSettings', () => {
  it('defaults the default scopes to the allowed scopes, in canonical order', () => {
    expect(checkScopeSettings('members:read org:read', undefined, false)).toEqual({
      scope: 'org:read members:read',
      defaultScope: 'org:read members:read',
    });
  });

  it('accepts narrower default scopes, and none at all', () => {
    expect(checkScopeSettings('org:read members:read', 'org:read', false).defaultScope).toBe('org:read');
    expect(checkScopeSettings('org:read', '', false).defaultScope).toBe('');
  });

  it('names unknown scopes', () => {
    expect(fieldErrors(() => checkScopeSettings('org:read members:delete', undefined, false))).toEqual([
      expect.objectContaining({ field: 'scope', message: expect.stringContaining('members:delete') }),
    ]);
  });

  it('refuses default scopes outside the allowed ones', () => {
    expect(fieldErrors(() => checkScopeSettings('org:read', 'members:read', false))).toEqual([
      expect.objectContaining({ field: 'default_scope' }),
    ]);
  });

  it('refuses an empty allowed scope list', () => {
    expect(fieldErrors(() => checkScopeSettings('', undefined, false))).toEqual([expect.objectContaining({ field: 'scope' })]);
  });

  it('grants admin only to clients of a platform organization', () => {
    expect(fieldErrors(() => checkScopeSettings('admin', undefined, false))).toEqual([
      expect.objectContaining({ field: 'scope', message: expect.stringContaining('platform') }),
    ]);
    expect(checkScopeSettings('admin', undefined, true).scope).toBe('admin');
  });

  it('grants metrics:read only to clients of a platform organization, and names both platform scopes when both are asked', () => {
    expect(fieldErrors(() => checkScopeSettings('metrics:read', undefined, false))).toEqual([
      { field: 'scope', message: 'the metrics:read scope may only be granted to clients of a platform organization' },
    ]);
    expect(fieldErrors(() => checkScopeSettings('admin metrics:read', undefined, false))).toEqual([
      { field: 'scope', message: 'the admin and metrics:read scopes may only be granted to clients of a platform organization' },
    ]);
    expect(checkScopeSettings('metrics:read', undefined, true).scope).toBe('metrics:read');
  });
});

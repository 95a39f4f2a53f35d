import { DomainError, type FieldError } from '../common/errors/domain-error.js';
import { formatScopes, isKnownScope, KNOWN_SCOPES, parseScopeString, PLATFORM_SCOPES } from '../common/scopes.js';

export interface ScopeSettings {
  /** Canonical space-delimited allowed scopes. */
  readonly scope: string;
  readonly defaultScope: string;
}

/**
 * The rules for a client's scopes: known scopes only, defaults within the
 * allowed set, and the platform scopes (`admin`, `metrics:read`) only for clients of a platform organization.
 */
export function checkScopeSettings(scope: string, defaultScope: string | undefined, organizationIsPlatform: boolean): ScopeSettings {
  const errors: FieldError[] = [];
  const allowed = parseScopeList('scope', scope, errors);
  const defaults = defaultScope === undefined ? allowed : parseScopeList('default_scope', defaultScope, errors);
  if (allowed.length === 0 && !errors.some((e) => e.field === 'scope')) {
    errors.push({ field: 'scope', message: 'scope must name at least one scope' });
  }
  const outside = defaults.filter((s) => !allowed.includes(s));
  if (outside.length > 0) {
    errors.push({ field: 'default_scope', message: `default_scope may only name allowed scopes; not allowed: ${outside.join(' ')}` });
  }
  const platformOnly = PLATFORM_SCOPES.filter((s) => allowed.includes(s));
  if (platformOnly.length > 0 && !organizationIsPlatform) {
    errors.push({
      field: 'scope',
      message: `the ${platformOnly.join(' and ')} scope${platformOnly.length > 1 ? 's' : ''} may only be granted to clients of a platform organization`,
    });
  }
  if (errors.length > 0) throw DomainError.validation('The client settings are invalid.', errors);
  return { scope: formatScopes(allowed), defaultScope: formatScopes(defaults) };
}

function parseScopeList(field: string, value: string, errors: FieldError[]): string[] {
  if (value === '') return [];
  const scopes = parseScopeString(value);
  if (!scopes) {
    errors.push({ field, message: `${field} must be space-delimited scope names` });
    return [];
  }
  const unknown = scopes.filter((s) => !isKnownScope(s));
  if (unknown.length > 0) {
    errors.push({ field, message: `unknown scope ${unknown.join(', ')}; known scopes are: ${KNOWN_SCOPES.join(' ')}` });
  }
  return scopes.filter(isKnownScope);
}

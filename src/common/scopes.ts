/**
 * The registry of scopes orgsync knows. A client may only be allowed scopes
 * listed here, and a token request naming anything else is invalid_scope.
 */
export const SCOPE_CATALOGUE = {
  'org:read': 'Read the organization the token belongs to',
  'members:read': "Read the organization's members",
  'members:write': "Create, change and delete the organization's members",
  'groups:read': "Read the organization's groups",
  'groups:write': "Create, change and delete the organization's groups",
  'sync:read': "Read the state of the organization's sync connections",
  'metrics:read': "Read the server's operational metrics at GET /metrics (platform clients only)",
  admin: 'Administer organizations and clients (platform admin clients only)',
} as const;

export type Scope = keyof typeof SCOPE_CATALOGUE;

export const ADMIN_SCOPE: Scope = 'admin';
export const METRICS_SCOPE: Scope = 'metrics:read';
/** Scopes about the whole platform rather than one organization: only clients of a platform organization may hold them. */
export const PLATFORM_SCOPES: readonly Scope[] = [ADMIN_SCOPE, METRICS_SCOPE];
export const KNOWN_SCOPES = Object.keys(SCOPE_CATALOGUE) as Scope[];

export function isKnownScope(value: string): value is Scope {
  return Object.hasOwn(SCOPE_CATALOGUE, value);
}

// RFC 6749 section 3.3: scope = scope-token *( SP scope-token ); scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_GRAMMAR = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** Splits a space-delimited scope string; undefined when it breaks the RFC 6749 grammar. */
export function parseScopeString(value: string): string[] | undefined {
  if (!SCOPE_GRAMMAR.test(value)) return undefined;
  return [...new Set(value.split(' '))];
}

/** Scopes in catalogue order, space-delimited: one canonical form for storage and tokens. */
export function formatScopes(scopes: Iterable<string>): string {
  const set = new Set(scopes);
  return KNOWN_SCOPES.filter((scope) => set.has(scope)).join(' ');
}

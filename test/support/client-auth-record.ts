import type { ClientAuthRecord } from '../../src/clients/client-directory.js';

/** A usable client_secret_basic client allowed org:read, for unit tests; override what the test is about. */
export function clientAuthRecord(overrides: Partial<ClientAuthRecord> = {}): ClientAuthRecord {
  return {
    clientId: 'client-1',
    organizationId: 'org-1',
    usable: true,
    tokenEndpointAuthMethod: 'client_secret_basic',
    allowedScopes: new Set(['org:read']),
    defaultScopes: ['org:read'],
    grantTypes: new Set(['client_credentials']),
    accessTokenTtl: null,
    tokensRevokedBefore: null,
    secrets: [],
    jwks: null,
    jwksUri: null,
    introspectionAllowed: false,
    ...overrides,
  };
}

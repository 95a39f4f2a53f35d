import { OAUTH_ERROR_CODES } from '../oauth/errors/oauth-error.js';

/**
 * Every label value comes from a bounded set: a Prometheus series per value
 * lives until the process ends, so a value an attacker controls (a raw path,
 * a client ID nobody registered) would let them grow the scrape without limit
 * and would write what they sent into it. Unbounded input maps to a fixed word.
 */
export const UNKNOWN = 'unknown';
export const UNMATCHED_ROUTE = 'unmatched';

const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const OAUTH_REFUSAL_REASONS: ReadonlySet<string> = new Set(OAUTH_ERROR_CODES);

/** A method Fastify routes, or `other` (a 404 may carry any token as its method). */
export function methodLabel(method: string): string {
  return HTTP_METHODS.has(method) ? method : 'other';
}

/** The route template (`/api/v1/members/:id`) a request matched, never its path. */
export function routeLabel(template: string | undefined): string {
  return template ?? UNMATCHED_ROUTE;
}

/** The RFC 6749 error code of a refused token request; anything else was unexpected, rendered as server_error. */
export function refusalReasonLabel(reason: string): string {
  return OAUTH_REFUSAL_REASONS.has(reason) ? reason : 'server_error';
}

export interface AuthenticatedClient {
  readonly clientId: string;
  readonly organizationId: string;
}

/**
 * The client labels of a token outcome: a client's own IDs once it has
 * authenticated (registered clients are a bounded set), `unknown` otherwise,
 * whatever client_id the request claimed.
 */
export function clientLabels(client: AuthenticatedClient | undefined): { client_id: string; organization_id: string } {
  return client ? { client_id: client.clientId, organization_id: client.organizationId } : { client_id: UNKNOWN, organization_id: UNKNOWN };
}

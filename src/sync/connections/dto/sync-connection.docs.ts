import type { ApiPropertyOptions } from '@nestjs/swagger';
import { SYNC_CONNECTION_KINDS, UPSTREAM_AUTH_METHODS } from '../sync-connection.entity.js';
import { MAX_URL_LENGTH } from './upstream-url.js';

export const SYNC_LIMITS = {
  intervalSeconds: { min: 60, max: 86_400, default: 3_600 },
  fullSyncEvery: { min: 1, max: 1_000, default: 24 },
  maxDeletePercent: { min: 0, max: 100, default: 20 },
} as const;

const URL_RULES = `An absolute http or https URL, at most ${MAX_URL_LENGTH} characters, without user name, password or fragment.`;

/** OpenAPI descriptions of the sync connection fields, shared by the request and response DTOs. */
export const SYNC_CONNECTION_DOCS = {
  name: { minLength: 1, maxLength: 200, description: 'A name for people; no control characters.', example: 'Workday via SCIM' },
  kind: { enum: [...SYNC_CONNECTION_KINDS], description: 'The upstream protocol: SCIM 2.0 (RFC 7643, RFC 7644).' },
  base_url: {
    format: 'uri',
    maxLength: MAX_URL_LENGTH,
    description: `The SCIM service's base URL, below which /Users and /Groups live. ${URL_RULES} Changing it starts the next run from scratch (a full listing).`,
    example: 'https://scim.example.com/scim/v2',
  },
  token_url: {
    format: 'uri',
    maxLength: MAX_URL_LENGTH,
    description: `The upstream authorization server's token endpoint, for the client credentials grant. ${URL_RULES}`,
    example: 'https://login.example.com/oauth2/token',
  },
  client_id: { minLength: 1, maxLength: 255, description: "orgsync's client ID at the upstream.", example: 'orgsync-worker' },
  client_secret: {
    minLength: 1,
    maxLength: 1000,
    writeOnly: true,
    description: "orgsync's client secret at the upstream. Stored encrypted; never returned.",
    example: 'upstream-secret-xxxx',
  },
  token_endpoint_auth_method: {
    enum: [...UPSTREAM_AUTH_METHODS],
    description: 'How orgsync authenticates at the upstream token endpoint (RFC 6749 section 2.3.1).',
  },
  scope: {
    maxLength: 1000,
    description: 'The scope to request from the upstream, space-delimited (RFC 6749 section 3.3).',
    example: 'scim.read',
  },
  resource: {
    format: 'uri',
    maxLength: MAX_URL_LENGTH,
    description: `A resource indicator to send to the upstream token endpoint (RFC 8707). ${URL_RULES}`,
    example: 'https://scim.example.com',
  },
  interval_seconds: {
    type: 'integer',
    minimum: SYNC_LIMITS.intervalSeconds.min,
    maximum: SYNC_LIMITS.intervalSeconds.max,
    description: 'Seconds between the start of one scheduled run and the next.',
    example: 3600,
  },
  full_sync_every: {
    type: 'integer',
    minimum: SYNC_LIMITS.fullSyncEvery.min,
    maximum: SYNC_LIMITS.fullSyncEvery.max,
    description: 'Every this many runs is a full listing, the only way a SCIM upstream reveals deletions; the others are incremental.',
    example: 24,
  },
  max_delete_percent: {
    type: 'integer',
    minimum: SYNC_LIMITS.maxDeletePercent.min,
    maximum: SYNC_LIMITS.maxDeletePercent.max,
    description: "The circuit breaker: a run that would delete more than this share of the connection's records stops instead.",
    example: 20,
  },
  enabled: { description: 'A disabled connection is not run on schedule.' },
} satisfies Record<string, ApiPropertyOptions>;

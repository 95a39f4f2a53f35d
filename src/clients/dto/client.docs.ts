import type { ApiPropertyOptions } from '@nestjs/swagger';
import { MAX_ACCESS_TOKEN_TTL, MIN_ACCESS_TOKEN_TTL } from '../../config/environment.js';
import { KNOWN_SCOPES } from '../../common/scopes.js';
import { CLIENT_STATUSES, TOKEN_ENDPOINT_AUTH_METHODS } from '../client.entity.js';

const SCOPES = KNOWN_SCOPES.map((scope) => `\`${scope}\``).join(', ');

/** OpenAPI descriptions of the client metadata fields, shared by the request and response DTOs. */
export const CLIENT_DOCS = {
  client_name: { minLength: 1, maxLength: 200, description: 'A name for people; no control characters.', example: 'Acme HR sync' },
  scope: {
    maxLength: 1000,
    description: `The scopes the client may be granted, space-delimited, from: ${SCOPES}. \`admin\` only for clients of a platform organization.`,
    example: 'org:read members:read',
  },
  default_scope: {
    maxLength: 1000,
    description: 'The scopes granted when a token request names none, space-delimited, within `scope`; defaults to `scope`.',
    example: 'org:read',
  },
  token_endpoint_auth_method: {
    enum: [...TOKEN_ENDPOINT_AUTH_METHODS],
    description: 'How the client authenticates at the token endpoint (RFC 7591 section 2).',
  },
  grant_types: {
    isArray: true,
    enum: ['client_credentials'],
    minItems: 1,
    maxItems: 1,
    description: 'Only the client credentials grant exists here.',
    example: ['client_credentials'],
  },
  access_token_ttl: {
    type: 'integer',
    minimum: MIN_ACCESS_TOKEN_TTL,
    maximum: MAX_ACCESS_TOKEN_TTL,
    description: "Lifetime of the client's access tokens in seconds; without it the server default (ACCESS_TOKEN_TTL) applies.",
    example: 600,
  },
  status: { enum: [...CLIENT_STATUSES], description: 'A disabled client cannot obtain tokens, and its outstanding tokens stop working.' },
} satisfies Record<string, ApiPropertyOptions>;

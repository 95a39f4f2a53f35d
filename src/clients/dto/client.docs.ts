import type { ApiPropertyOptions } from '@nestjs/swagger';
import { MAX_ACCESS_TOKEN_TTL, MIN_ACCESS_TOKEN_TTL } from '../../config/environment.js';
import { KNOWN_SCOPES } from '../../common/scopes.js';
import { CLIENT_STATUSES, TOKEN_ENDPOINT_AUTH_METHODS } from '../client.entity.js';
import { MAX_JWKS_KEYS, MAX_JWKS_URI_LENGTH } from './client-keys.validation.js';

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
    description:
      'How the client authenticates at the token endpoint (RFC 7591 section 2). `private_key_jwt` (RFC 7523) needs `jwks` or `jwks_uri`, and such a client is issued no secret.',
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
  jwks: {
    type: 'object',
    additionalProperties: true,
    description:
      `The client's public keys for private_key_jwt (RFC 7591 section 2): a JWK Set of 1 to ${MAX_JWKS_KEYS} RSA, EC or OKP public keys, ` +
      'never private members or oct keys. Not together with `jwks_uri`.',
    example: {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          kid: 'k1',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      ],
    },
  },
  jwks_uri: {
    type: 'string',
    format: 'uri',
    maxLength: MAX_JWKS_URI_LENGTH,
    description:
      'Where the client publishes its JWK Set for private_key_jwt (RFC 7591 section 2): https:// (http:// for localhost while developing). Fetched with a timeout and cached. Not together with `jwks`.',
    example: 'https://partner.example.com/.well-known/jwks.json',
  },
  introspection_allowed: {
    type: 'boolean',
    description:
      'A resource-server permission: whether the client may call the introspection endpoint (RFC 7662), for tokens of its own organization (of every organization, if it holds `admin`).',
  },
  status: { enum: [...CLIENT_STATUSES], description: 'A disabled client cannot obtain tokens, and its outstanding tokens stop working.' },
} satisfies Record<string, ApiPropertyOptions>;

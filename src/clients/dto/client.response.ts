import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ClientEntity } from '../client.entity.js';
import { CLIENT_ID_PREFIX, CLIENT_SECRET_PREFIX } from '../client-credentials.js';
import { CLIENT_DOCS } from './client.docs.js';

const CLIENT_ID = { description: 'The client identifier (RFC 6749 section 2.2).', example: `${CLIENT_ID_PREFIX}3q2x7w9v0XvM4b1kQ1sW0A` };
const CLIENT_SECRET = {
  description: 'The client secret. Shown in this response only: it is stored as a hash and can never be read again.',
  // A placeholder, not a secret: secret scanners look for this prefix.
  example: `${CLIENT_SECRET_PREFIX}${'x'.repeat(43)}`,
};
const SECRET_EXPIRES_AT = { type: 'integer', description: 'RFC 7591: 0, the secret does not expire.', example: 0 } as const;

/** Client metadata as RFC 7591 section 3.2.1 names it, plus orgsync's own fields. Never a hash. */
export class ClientResponse {
  @ApiProperty(CLIENT_ID)
  client_id!: string;

  @ApiProperty({ type: 'integer', description: 'When the client was created, in seconds since the epoch (RFC 7591).' })
  client_id_issued_at!: number;

  @ApiProperty(CLIENT_DOCS.client_name)
  client_name!: string;

  @ApiProperty({ format: 'uuid' })
  organization_id!: string;

  @ApiProperty(CLIENT_DOCS.scope)
  scope!: string;

  @ApiProperty(CLIENT_DOCS.default_scope)
  default_scope!: string;

  @ApiProperty(CLIENT_DOCS.token_endpoint_auth_method)
  token_endpoint_auth_method!: string;

  @ApiProperty(CLIENT_DOCS.grant_types)
  grant_types!: string[];

  @ApiProperty({ ...CLIENT_DOCS.access_token_ttl, nullable: true, description: "The client's token lifetime; null, the server default." })
  access_token_ttl!: number | null;

  @ApiProperty(CLIENT_DOCS.status)
  status!: string;

  @ApiProperty(CLIENT_DOCS.introspection_allowed)
  introspection_allowed!: boolean;

  /** Present only when registered (RFC 7591 section 3.2.1 returns the metadata the client has). */
  @ApiPropertyOptional(CLIENT_DOCS.jwks)
  jwks?: object;

  @ApiPropertyOptional(CLIENT_DOCS.jwks_uri)
  jwks_uri?: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

/** A private_key_jwt client is issued no secret, so both secret members are absent (RFC 7591 section 3.2.1). */
export class ClientWithSecretResponse extends ClientResponse {
  @ApiPropertyOptional({ ...CLIENT_SECRET, description: `${CLIENT_SECRET.description} Absent for private_key_jwt clients.` })
  client_secret?: string;

  /** RFC 7591: 0 means the secret does not expire. */
  @ApiPropertyOptional(SECRET_EXPIRES_AT)
  client_secret_expires_at?: number;
}

// The mappers build plain objects of these shapes: never instances, never the entity.

export function toClientResponse(client: ClientEntity): ClientResponse {
  return {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    client_name: client.clientName,
    organization_id: client.organizationId,
    scope: client.scope,
    default_scope: client.defaultScope,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes.split(' '),
    access_token_ttl: client.accessTokenTtl,
    status: client.status,
    introspection_allowed: client.introspectionAllowed,
    ...(client.jwks !== null ? { jwks: JSON.parse(client.jwks) as object } : {}),
    ...(client.jwksUri !== null ? { jwks_uri: client.jwksUri } : {}),
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}

export function toClientWithSecretResponse(client: ClientEntity, clientSecret: string | undefined): ClientWithSecretResponse {
  if (clientSecret === undefined) return toClientResponse(client);
  return { ...toClientResponse(client), client_secret: clientSecret, client_secret_expires_at: 0 };
}

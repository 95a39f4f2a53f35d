import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../clients/client.entity.js';
import { KNOWN_SCOPES } from '../../common/scopes.js';
import { SIGNING_ALGORITHMS } from '../../config/environment.js';
import { ASSERTION_SIGNING_ALGORITHMS } from '../client-auth/assertion-rules.js';

/** The OpenAPI shapes of discovery and the JWKS. Documentation only. */

/** RFC 8414 section 2, the members this server sends. */
export class AuthorizationServerMetadata {
  @ApiProperty({ format: 'uri', example: 'https://auth.example.com' })
  issuer!: string;

  @ApiProperty({ format: 'uri', example: 'https://auth.example.com/oauth/token' })
  token_endpoint!: string;

  @ApiProperty({ format: 'uri', example: 'https://auth.example.com/oauth/jwks' })
  jwks_uri!: string;

  @ApiProperty({ isArray: true, enum: KNOWN_SCOPES })
  scopes_supported!: string[];

  @ApiProperty({ type: [String], description: 'Empty: there is no authorization endpoint.', example: [] })
  response_types_supported!: string[];

  @ApiProperty({ isArray: true, enum: ['client_credentials'] })
  grant_types_supported!: string[];

  @ApiProperty({ isArray: true, enum: [...TOKEN_ENDPOINT_AUTH_METHODS] })
  token_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ isArray: true, enum: [...ASSERTION_SIGNING_ALGORITHMS], description: 'For private_key_jwt client assertions (RFC 7523).' })
  token_endpoint_auth_signing_alg_values_supported!: string[];

  @ApiProperty({ format: 'uri', description: 'RFC 7009.', example: 'https://auth.example.com/oauth/revoke' })
  revocation_endpoint!: string;

  @ApiProperty({ isArray: true, enum: [...TOKEN_ENDPOINT_AUTH_METHODS] })
  revocation_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ isArray: true, enum: [...ASSERTION_SIGNING_ALGORITHMS] })
  revocation_endpoint_auth_signing_alg_values_supported!: string[];

  @ApiProperty({ format: 'uri', description: 'RFC 7662.', example: 'https://auth.example.com/oauth/introspect' })
  introspection_endpoint!: string;

  @ApiProperty({ isArray: true, enum: [...TOKEN_ENDPOINT_AUTH_METHODS] })
  introspection_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ isArray: true, enum: [...ASSERTION_SIGNING_ALGORITHMS] })
  introspection_endpoint_auth_signing_alg_values_supported!: string[];
}

/** RFC 7517 section 4: a public signing key, EC (P-256) or RSA. */
export class PublicJsonWebKey {
  @ApiProperty({ enum: ['EC', 'RSA'] })
  kty!: string;

  @ApiProperty({ description: 'The RFC 7638 thumbprint of the key; the `kid` of the tokens it signed.' })
  kid!: string;

  @ApiProperty({ enum: ['sig'] })
  use!: string;

  @ApiProperty({ enum: [...SIGNING_ALGORITHMS] })
  alg!: string;

  @ApiPropertyOptional({ description: 'EC keys: the curve.', example: 'P-256' })
  crv?: string;

  @ApiPropertyOptional({ description: 'EC keys.' })
  x?: string;

  @ApiPropertyOptional({ description: 'EC keys.' })
  y?: string;

  @ApiPropertyOptional({ description: 'RSA keys: the modulus.' })
  n?: string;

  @ApiPropertyOptional({ description: 'RSA keys: the exponent.' })
  e?: string;
}

/** RFC 7517 section 5. */
export class JsonWebKeySet {
  @ApiProperty({ type: () => [PublicJsonWebKey] })
  keys!: PublicJsonWebKey[];
}

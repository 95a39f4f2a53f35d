import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { KNOWN_SCOPES } from '../../common/scopes.js';
import { OAUTH_ERROR_CODES, type OAuthErrorCode } from '../errors/oauth-error.js';

/**
 * The OpenAPI shapes of the token endpoint. Documentation only: the endpoint
 * reads its form strictly itself (token-request.ts), not through a DTO.
 */

/** RFC 6749 section 4.4.2, with client_secret_post credentials (section 2.3.1). */
export class TokenRequestForm {
  @ApiProperty({ enum: ['client_credentials'], example: 'client_credentials' })
  grant_type!: string;

  @ApiPropertyOptional({
    description: `Space-delimited scopes to request, all allowed for the client; left out, the client's default scopes. Known: ${KNOWN_SCOPES.join(', ')}.`,
    example: 'org:read',
  })
  scope?: string;

  @ApiPropertyOptional({
    description:
      "With client_secret_post; optional with private_key_jwt (then equal to the assertion's sub); client_secret_basic sends it in the Authorization header.",
  })
  client_id?: string;

  @ApiPropertyOptional({ description: 'With client_secret_post only. Never both this and an Authorization header.' })
  client_secret?: string;

  @ApiPropertyOptional({
    enum: ['urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
    description: 'With private_key_jwt only (RFC 7523 section 2.2).',
  })
  client_assertion_type?: string;

  @ApiPropertyOptional({
    description:
      "With private_key_jwt only: a JWT signed with one of the client's registered keys; iss and sub are the client ID, aud the issuer or the token endpoint, a short exp and a single-use jti.",
  })
  client_assertion?: string;
}

/** RFC 6749 section 5.1. */
export class TokenResponse {
  @ApiProperty({ description: 'A JWT access token (RFC 9068); send it as `Authorization: Bearer`.' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires.', example: 600 })
  expires_in!: number;

  @ApiProperty({ description: 'The scopes granted, space-delimited.', example: 'org:read' })
  scope!: string;
}

/** RFC 6749 section 5.2. */
export class OAuthErrorResponse {
  @ApiProperty({ enum: OAUTH_ERROR_CODES, example: 'invalid_client' })
  error!: OAuthErrorCode;

  @ApiProperty({ description: 'For the client developer; never contains secrets.', example: 'Client authentication failed.' })
  error_description!: string;
}

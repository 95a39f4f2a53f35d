import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The OpenAPI shapes of the introspection endpoint (RFC 7662). Documentation only: the form is read strictly by hand. */
export class IntrospectionRequestForm {
  @ApiProperty({ description: 'The access token to introspect.' })
  token!: string;

  @ApiPropertyOptional({ description: 'RFC 7662 section 2.1; ignored: this server has access tokens only.', example: 'access_token' })
  token_type_hint?: string;

  @ApiPropertyOptional({ description: 'With client_secret_post only; client_secret_basic sends it in the Authorization header.' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'With client_secret_post only. Never both this and an Authorization header.' })
  client_secret?: string;
}

/** RFC 7662 section 2.2; only `active` when the token is not active, or not the caller's to know about. */
export class IntrospectionResponse {
  @ApiProperty({ description: 'Whether the token is active: signed here, unexpired, unrevoked, of a live client and organization.' })
  active!: boolean;

  @ApiPropertyOptional({ description: "The token's scopes that its client still holds, space-delimited.", example: 'org:read' })
  scope?: string;

  @ApiPropertyOptional({ description: 'The client the token was issued to.' })
  client_id?: string;

  @ApiPropertyOptional({ enum: ['Bearer'] })
  token_type?: 'Bearer';

  @ApiPropertyOptional({ type: 'integer', description: 'Expiry, seconds since the epoch.' })
  exp?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Issue time, seconds since the epoch.' })
  iat?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Not before, seconds since the epoch, when the token has it.' })
  nbf?: number;

  @ApiPropertyOptional({ description: 'The subject: the client itself (RFC 9068 section 2.2).' })
  sub?: string;

  @ApiPropertyOptional({ type: 'string', description: 'The audience: the resource APIs (ACCESS_TOKEN_AUDIENCE).' })
  aud?: string | string[];

  @ApiPropertyOptional({ description: 'The issuer.' })
  iss?: string;

  @ApiPropertyOptional({ description: 'The token identifier.' })
  jti?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The organization the token acts for.' })
  org_id?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { MAX_ACCESS_TOKEN_TTL, MIN_ACCESS_TOKEN_TTL } from '../../config/environment.js';
import type { UpdateClient } from '../clients.service.js';
import { CLIENT_STATUSES, type ClientStatus, TOKEN_ENDPOINT_AUTH_METHODS, type TokenEndpointAuthMethod } from '../client.entity.js';
import { CLIENT_DOCS } from './client.docs.js';
import { type ClientJwksInput, IsClientJwks, IsJwksUri } from './client-keys.validation.js';

/**
 * A field left out keeps its value. Only `access_token_ttl` may be null (back to
 * the server default); IsOptional would let null through for the others too.
 */
const Omittable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

/** Every field optional; `access_token_ttl: null` returns the client to the server default. */
export class UpdateClientDto {
  @ApiPropertyOptional(CLIENT_DOCS.client_name)
  @Omittable()
  @IsString({ message: 'client_name must be a string' })
  @MinLength(1, { message: 'client_name must not be empty' })
  @MaxLength(200, { message: 'client_name must be at most 200 characters' })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'client_name must not contain control characters' })
  client_name?: string;

  @ApiPropertyOptional(CLIENT_DOCS.scope)
  @Omittable()
  @IsString({ message: 'scope must be a space-delimited string of scopes' })
  @MaxLength(1000, { message: 'scope must be at most 1000 characters' })
  scope?: string;

  @ApiPropertyOptional(CLIENT_DOCS.default_scope)
  @Omittable()
  @IsString({ message: 'default_scope must be a space-delimited string of scopes' })
  @MaxLength(1000, { message: 'default_scope must be at most 1000 characters' })
  default_scope?: string;

  @ApiPropertyOptional(CLIENT_DOCS.token_endpoint_auth_method)
  @Omittable()
  @IsIn(TOKEN_ENDPOINT_AUTH_METHODS, { message: `token_endpoint_auth_method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}` })
  token_endpoint_auth_method?: TokenEndpointAuthMethod;

  @ApiPropertyOptional({
    ...CLIENT_DOCS.access_token_ttl,
    nullable: true,
    description: "Lifetime of the client's access tokens in seconds; null returns the client to the server default.",
  })
  @ValidateIf((dto: UpdateClientDto) => dto.access_token_ttl !== null && dto.access_token_ttl !== undefined)
  @IsInt({ message: 'access_token_ttl must be a whole number of seconds, or null' })
  @Min(MIN_ACCESS_TOKEN_TTL, { message: `access_token_ttl must be at least ${MIN_ACCESS_TOKEN_TTL} seconds` })
  @Max(MAX_ACCESS_TOKEN_TTL, { message: `access_token_ttl must be at most ${MAX_ACCESS_TOKEN_TTL} seconds` })
  access_token_ttl?: number | null;

  @ApiPropertyOptional(CLIENT_DOCS.status)
  @Omittable()
  @IsIn(CLIENT_STATUSES, { message: `status must be one of ${CLIENT_STATUSES.join(', ')}` })
  status?: ClientStatus;

  @ApiPropertyOptional(CLIENT_DOCS.introspection_allowed)
  @Omittable()
  @IsBoolean({ message: 'introspection_allowed must be true or false' })
  introspection_allowed?: boolean;

  /** Setting one of jwks and jwks_uri removes the other; null removes it. */
  @ApiPropertyOptional({ ...CLIENT_DOCS.jwks, nullable: true })
  @ValidateIf((dto: UpdateClientDto) => dto.jwks !== null && dto.jwks !== undefined)
  @IsClientJwks()
  jwks?: ClientJwksInput | null;

  @ApiPropertyOptional({ ...CLIENT_DOCS.jwks_uri, nullable: true })
  @ValidateIf((dto: UpdateClientDto) => dto.jwks_uri !== null && dto.jwks_uri !== undefined)
  @IsJwksUri()
  jwks_uri?: string | null;
}

export function toUpdateClient(dto: UpdateClientDto): UpdateClient {
  return {
    clientName: dto.client_name,
    scope: dto.scope,
    defaultScope: dto.default_scope,
    tokenEndpointAuthMethod: dto.token_endpoint_auth_method,
    accessTokenTtl: dto.access_token_ttl,
    status: dto.status,
    introspectionAllowed: dto.introspection_allowed,
    jwks: dto.jwks,
    jwksUri: dto.jwks_uri,
  };
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_ACCESS_TOKEN_TTL, MIN_ACCESS_TOKEN_TTL } from '../../config/environment.js';
import { TOKEN_ENDPOINT_AUTH_METHODS, type TokenEndpointAuthMethod } from '../client.entity.js';
import { CLIENT_DOCS } from './client.docs.js';
import { type ClientJwksInput, IsClientJwks, IsJwksUri } from './client-keys.validation.js';
import type { CreateClient } from '../clients.service.js';

/** Client metadata, named as in RFC 7591 section 2. */
export class CreateClientDto {
  @ApiProperty(CLIENT_DOCS.client_name)
  @IsString({ message: 'client_name must be a string' })
  @MinLength(1, { message: 'client_name must not be empty' })
  @MaxLength(200, { message: 'client_name must be at most 200 characters' })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'client_name must not contain control characters' })
  client_name!: string;

  /** The scopes the client may be granted, space-delimited. */
  @ApiProperty(CLIENT_DOCS.scope)
  @IsString({ message: 'scope must be a space-delimited string of scopes' })
  @MaxLength(1000, { message: 'scope must be at most 1000 characters' })
  scope!: string;

  /** The scopes granted when a token request names none; defaults to `scope`. */
  @ApiPropertyOptional(CLIENT_DOCS.default_scope)
  @IsOptional()
  @IsString({ message: 'default_scope must be a space-delimited string of scopes' })
  @MaxLength(1000, { message: 'default_scope must be at most 1000 characters' })
  default_scope?: string;

  @ApiPropertyOptional({ ...CLIENT_DOCS.token_endpoint_auth_method, default: 'client_secret_basic' })
  @IsOptional()
  @IsIn(TOKEN_ENDPOINT_AUTH_METHODS, { message: `token_endpoint_auth_method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}` })
  token_endpoint_auth_method?: TokenEndpointAuthMethod;

  /** Only the client credentials grant exists here. */
  @ApiPropertyOptional(CLIENT_DOCS.grant_types)
  @IsOptional()
  @IsArray({ message: 'grant_types must be an array' })
  @ArrayMinSize(1, { message: 'grant_types may only be ["client_credentials"]' })
  @ArrayMaxSize(1, { message: 'grant_types may only be ["client_credentials"]' })
  @Equals('client_credentials', { each: true, message: 'grant_types may only be ["client_credentials"]' })
  grant_types?: string[];

  @ApiPropertyOptional(CLIENT_DOCS.access_token_ttl)
  @IsOptional()
  @IsInt({ message: 'access_token_ttl must be a whole number of seconds' })
  @Min(MIN_ACCESS_TOKEN_TTL, { message: `access_token_ttl must be at least ${MIN_ACCESS_TOKEN_TTL} seconds` })
  @Max(MAX_ACCESS_TOKEN_TTL, { message: `access_token_ttl must be at most ${MAX_ACCESS_TOKEN_TTL} seconds` })
  access_token_ttl?: number;

  @ApiPropertyOptional({ ...CLIENT_DOCS.introspection_allowed, default: false })
  @IsOptional()
  @IsBoolean({ message: 'introspection_allowed must be true or false' })
  introspection_allowed?: boolean;

  @ApiPropertyOptional(CLIENT_DOCS.jwks)
  @IsOptional()
  @IsClientJwks()
  jwks?: ClientJwksInput;

  @ApiPropertyOptional(CLIENT_DOCS.jwks_uri)
  @IsOptional()
  @IsJwksUri()
  jwks_uri?: string;
}

export function toCreateClient(dto: CreateClientDto): CreateClient {
  return {
    clientName: dto.client_name,
    scope: dto.scope,
    defaultScope: dto.default_scope,
    tokenEndpointAuthMethod: dto.token_endpoint_auth_method,
    accessTokenTtl: dto.access_token_ttl,
    introspectionAllowed: dto.introspection_allowed,
    jwks: dto.jwks,
    jwksUri: dto.jwks_uri,
  };
}

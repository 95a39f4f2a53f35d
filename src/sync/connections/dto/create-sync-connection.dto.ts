import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { SyncConnectionKind, UpstreamAuthMethod } from '../sync-connection.entity.js';
import type { CreateSyncConnection } from '../sync-connections.service.js';
import { SYNC_CONNECTION_DOCS as DOCS, SYNC_LIMITS } from './sync-connection.docs.js';
import {
  AuthMethodField,
  CredentialField,
  EnabledField,
  IntegerField,
  KindField,
  NameField,
  ScopeField,
  UrlField,
} from './sync-connection-fields.js';

/** A new connection to an upstream; the worker's sync state starts empty and is not part of the request. */
export class CreateSyncConnectionDto {
  @ApiProperty(DOCS.name)
  @NameField()
  name!: string;

  @ApiPropertyOptional({ ...DOCS.kind, default: 'scim' })
  @IsOptional()
  @KindField()
  kind?: SyncConnectionKind;

  @ApiProperty(DOCS.base_url)
  @UrlField('base_url')
  base_url!: string;

  @ApiProperty(DOCS.token_url)
  @UrlField('token_url')
  token_url!: string;

  @ApiProperty(DOCS.client_id)
  @CredentialField('client_id', 255)
  client_id!: string;

  @ApiProperty(DOCS.client_secret)
  @CredentialField('client_secret', 1000)
  client_secret!: string;

  @ApiPropertyOptional({ ...DOCS.token_endpoint_auth_method, default: 'client_secret_basic' })
  @IsOptional()
  @AuthMethodField()
  token_endpoint_auth_method?: UpstreamAuthMethod;

  @ApiPropertyOptional(DOCS.scope)
  @IsOptional()
  @ScopeField()
  scope?: string;

  @ApiPropertyOptional(DOCS.resource)
  @IsOptional()
  @UrlField('resource')
  resource?: string;

  @ApiPropertyOptional({ ...DOCS.interval_seconds, default: SYNC_LIMITS.intervalSeconds.default })
  @IsOptional()
  @IntegerField('interval_seconds', SYNC_LIMITS.intervalSeconds, ' of seconds')
  interval_seconds?: number;

  @ApiPropertyOptional({ ...DOCS.full_sync_every, default: SYNC_LIMITS.fullSyncEvery.default })
  @IsOptional()
  @IntegerField('full_sync_every', SYNC_LIMITS.fullSyncEvery)
  full_sync_every?: number;

  @ApiPropertyOptional({ ...DOCS.max_delete_percent, default: SYNC_LIMITS.maxDeletePercent.default })
  @IsOptional()
  @IntegerField('max_delete_percent', SYNC_LIMITS.maxDeletePercent)
  max_delete_percent?: number;

  @ApiPropertyOptional({ ...DOCS.enabled, default: true })
  @IsOptional()
  @EnabledField()
  enabled?: boolean;
}

export function toCreateSyncConnection(dto: CreateSyncConnectionDto): CreateSyncConnection {
  return {
    name: dto.name,
    kind: dto.kind ?? 'scim',
    baseUrl: dto.base_url,
    tokenUrl: dto.token_url,
    clientId: dto.client_id,
    clientSecret: dto.client_secret,
    tokenEndpointAuthMethod: dto.token_endpoint_auth_method ?? 'client_secret_basic',
    scope: dto.scope ?? null,
    resource: dto.resource ?? null,
    intervalSeconds: dto.interval_seconds ?? SYNC_LIMITS.intervalSeconds.default,
    fullSyncEvery: dto.full_sync_every ?? SYNC_LIMITS.fullSyncEvery.default,
    maxDeletePercent: dto.max_delete_percent ?? SYNC_LIMITS.maxDeletePercent.default,
    enabled: dto.enabled ?? true,
  };
}

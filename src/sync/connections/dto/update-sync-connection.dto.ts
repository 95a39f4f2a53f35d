import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import type { SyncConnectionKind, UpstreamAuthMethod } from '../sync-connection.entity.js';
import type { SyncConnectionChanges } from '../sync-connections.service.js';
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

/** Left out: unchanged. IsOptional would let null through as well. */
const Omittable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);
/** Left out: unchanged; null: cleared. */
const Clearable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined && value !== null);

/** Every field optional. `scope` and `resource` may be null to clear them. */
export class UpdateSyncConnectionDto {
  @ApiPropertyOptional(DOCS.name)
  @Omittable()
  @NameField()
  name?: string;

  @ApiPropertyOptional(DOCS.kind)
  @Omittable()
  @KindField()
  kind?: SyncConnectionKind;

  @ApiPropertyOptional(DOCS.base_url)
  @Omittable()
  @UrlField('base_url')
  base_url?: string;

  @ApiPropertyOptional(DOCS.token_url)
  @Omittable()
  @UrlField('token_url')
  token_url?: string;

  @ApiPropertyOptional(DOCS.client_id)
  @Omittable()
  @CredentialField('client_id', 255)
  client_id?: string;

  @ApiPropertyOptional({ ...DOCS.client_secret, description: 'A new secret replaces the stored one. Never returned.' })
  @Omittable()
  @CredentialField('client_secret', 1000)
  client_secret?: string;

  @ApiPropertyOptional(DOCS.token_endpoint_auth_method)
  @Omittable()
  @AuthMethodField()
  token_endpoint_auth_method?: UpstreamAuthMethod;

  @ApiPropertyOptional({ ...DOCS.scope, type: String, nullable: true, description: `${DOCS.scope.description} null clears it.` })
  @Clearable()
  @ScopeField()
  scope?: string | null;

  @ApiPropertyOptional({ ...DOCS.resource, type: String, nullable: true, description: `${DOCS.resource.description} null clears it.` })
  @Clearable()
  @UrlField('resource')
  resource?: string | null;

  @ApiPropertyOptional(DOCS.interval_seconds)
  @Omittable()
  @IntegerField('interval_seconds', SYNC_LIMITS.intervalSeconds, ' of seconds')
  interval_seconds?: number;

  @ApiPropertyOptional(DOCS.full_sync_every)
  @Omittable()
  @IntegerField('full_sync_every', SYNC_LIMITS.fullSyncEvery)
  full_sync_every?: number;

  @ApiPropertyOptional(DOCS.max_delete_percent)
  @Omittable()
  @IntegerField('max_delete_percent', SYNC_LIMITS.maxDeletePercent)
  max_delete_percent?: number;

  @ApiPropertyOptional(DOCS.enabled)
  @Omittable()
  @EnabledField()
  enabled?: boolean;
}

export function toSyncConnectionChanges(dto: UpdateSyncConnectionDto): SyncConnectionChanges {
  const changes: SyncConnectionChanges = {
    name: dto.name,
    kind: dto.kind,
    baseUrl: dto.base_url,
    tokenUrl: dto.token_url,
    clientId: dto.client_id,
    clientSecret: dto.client_secret,
    tokenEndpointAuthMethod: dto.token_endpoint_auth_method,
    scope: dto.scope,
    resource: dto.resource,
    intervalSeconds: dto.interval_seconds,
    fullSyncEvery: dto.full_sync_every,
    maxDeletePercent: dto.max_delete_percent,
    enabled: dto.enabled,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

import { ApiProperty } from '@nestjs/swagger';
import type { SyncConnectionEntity } from '../sync-connection.entity.js';
import { SYNC_CONNECTION_DOCS as DOCS } from './sync-connection.docs.js';

const UUID = { format: 'uuid', example: '0193a6f2-7c1e-7b3a-9d4e-5f6a7b8c9d0e' };

/** A sync connection as the admin API shows it: settings and sync state, never the client secret nor the lease. */
export class SyncConnectionResponse {
  @ApiProperty(UUID)
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organization_id!: string;

  @ApiProperty(DOCS.name)
  name!: string;

  @ApiProperty(DOCS.kind)
  kind!: string;

  @ApiProperty(DOCS.base_url)
  base_url!: string;

  @ApiProperty(DOCS.token_url)
  token_url!: string;

  @ApiProperty(DOCS.client_id)
  client_id!: string;

  @ApiProperty({ description: 'Always true: a client secret is stored (encrypted). It is never returned.', example: true })
  client_secret_set!: boolean;

  @ApiProperty(DOCS.token_endpoint_auth_method)
  token_endpoint_auth_method!: string;

  @ApiProperty({ ...DOCS.scope, type: String, nullable: true })
  scope!: string | null;

  @ApiProperty({ ...DOCS.resource, type: String, nullable: true })
  resource!: string | null;

  @ApiProperty(DOCS.interval_seconds)
  interval_seconds!: number;

  @ApiProperty(DOCS.full_sync_every)
  full_sync_every!: number;

  @ApiProperty(DOCS.max_delete_percent)
  max_delete_percent!: number;

  @ApiProperty(DOCS.enabled)
  enabled!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'How far the upstream has been copied (its lastModified); null until a full run has succeeded.',
  })
  watermark!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When the connection is next due to run.' })
  next_run_at!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Failed runs since the last successful one.' })
  consecutive_failures!: number;

  @ApiProperty({ description: 'Whether the next full run may delete past the max_delete_percent circuit breaker (once).' })
  deletions_confirmed!: boolean;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

/** A plain object of the SyncConnectionResponse shape; the client secret has no field to go into. */
export function toSyncConnectionResponse(connection: SyncConnectionEntity): SyncConnectionResponse {
  return {
    id: connection.id,
    organization_id: connection.organizationId,
    name: connection.name,
    kind: connection.kind,
    base_url: connection.baseUrl,
    token_url: connection.tokenUrl,
    client_id: connection.clientId,
    client_secret_set: connection.clientSecret !== '',
    token_endpoint_auth_method: connection.tokenEndpointAuthMethod,
    scope: connection.scope,
    resource: connection.resource,
    interval_seconds: connection.intervalSeconds,
    full_sync_every: connection.fullSyncEvery,
    max_delete_percent: connection.maxDeletePercent,
    enabled: connection.enabled,
    watermark: connection.watermark?.toISOString() ?? null,
    next_run_at: connection.nextRunAt.toISOString(),
    consecutive_failures: connection.consecutiveFailures,
    deletions_confirmed: connection.deletionsConfirmed,
    created_at: connection.createdAt.toISOString(),
    updated_at: connection.updatedAt.toISOString(),
  };
}

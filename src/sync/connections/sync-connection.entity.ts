import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

export const SYNC_CONNECTION_KINDS = ['scim'] as const;
export type SyncConnectionKind = (typeof SYNC_CONNECTION_KINDS)[number];

export const UPSTREAM_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type UpstreamAuthMethod = (typeof UPSTREAM_AUTH_METHODS)[number];

/**
 * Where an organization's people and groups come from, and how to reach it:
 * the upstream's API, its token endpoint and the worker's credentials there.
 * Also the connection's sync state, changed only through the named
 * transitions of SyncClaimsRepository (claim, renew, release).
 */
@Entity('sync_connections')
@Index('ix_sync_connections_organization', ['organizationId', 'id'])
@Index('ix_sync_connections_due', ['enabled', 'nextRunAt'])
export class SyncConnectionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 36 })
  @ForeignKey('organizations', { name: 'fk_sync_connections_organization' })
  organizationId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: SyncConnectionKind;

  @Column({ name: 'base_url', type: 'varchar', length: 2048 })
  baseUrl!: string;

  @Column({ name: 'token_url', type: 'varchar', length: 2048 })
  tokenUrl!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  /** Sealed with the SECRETS_KEY-derived key (SecretsKeyring.encrypt); never returned or logged. */
  @Column({ name: 'client_secret', type: 'text' })
  clientSecret!: string;

  @Column({ name: 'token_endpoint_auth_method', type: 'varchar', length: 32 })
  tokenEndpointAuthMethod!: UpstreamAuthMethod;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  scope!: string | null;

  /** RFC 8707 resource indicator, when the upstream's authorization server wants one. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  resource!: string | null;

  @Column({ name: 'interval_seconds', type: 'integer' })
  intervalSeconds!: number;

  /** Every this many runs is a full listing, the only way SCIM reveals deletions. */
  @Column({ name: 'full_sync_every', type: 'integer' })
  fullSyncEvery!: number;

  /** The circuit breaker: a run that would delete more than this share of the connection's records stops. */
  @Column({ name: 'max_delete_percent', type: 'integer' })
  maxDeletePercent!: number;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** Set by an operator to let the next full run delete past the circuit breaker, once. */
  @Column({ name: 'deletions_confirmed', type: 'boolean' })
  deletionsConfirmed!: boolean;

  /** The upstream lastModified up to which everything has committed; incremental runs start a little before it. */
  @Column({ type: TIMESTAMP_COLUMN, nullable: true })
  watermark!: Date | null;

  @Column({ name: 'runs_since_full', type: 'integer' })
  runsSinceFull!: number;

  @Column({ name: 'next_run_at', type: TIMESTAMP_COLUMN })
  nextRunAt!: Date;

  @Column({ name: 'consecutive_failures', type: 'integer' })
  consecutiveFailures!: number;

  /** Which worker holds the connection, until when, and its fencing token (incremented on every claim). */
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_expires_at', type: TIMESTAMP_COLUMN, nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ name: 'lease_token', type: 'integer' })
  leaseToken!: number;

  @Column({ name: 'created_at', type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP_COLUMN })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: TIMESTAMP_COLUMN, nullable: true })
  deletedAt!: Date | null;
}

import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../database/column-types.js';

export const CLIENT_STATUSES = ['active', 'disabled'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

@Entity('clients')
@Index('ix_clients_organization', ['organizationId', 'clientId'])
export class ClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 36 })
  @ForeignKey('organizations', { name: 'fk_clients_organization' })
  organizationId!: string;

  @Column({ name: 'client_name', type: 'varchar', length: 200 })
  clientName!: string;

  /** Scopes the client may be granted, space-delimited (RFC 6749 section 3.3). */
  @Column({ type: 'text' })
  scope!: string;

  /** Scopes granted when a token request names none. */
  @Column({ name: 'default_scope', type: 'text' })
  defaultScope!: string;

  @Column({ name: 'token_endpoint_auth_method', type: 'varchar', length: 32 })
  tokenEndpointAuthMethod!: TokenEndpointAuthMethod;

  /** RFC 7591 section 2: the client's public keys for private_key_jwt (a JWK Set as JSON text), or null. */
  @Column({ type: 'text', nullable: true })
  jwks!: string | null;

  /** RFC 7591 section 2: where the client publishes its JWK Set instead; fetched with a timeout and cached. */
  @Column({ name: 'jwks_uri', type: 'varchar', length: 2048, nullable: true })
  jwksUri!: string | null;

  /**
   * A resource-server permission: whether this client may call the introspection
   * endpoint (RFC 7662 section 2.1 leaves who may introspect to the server).
   */
  @Column({ name: 'introspection_allowed', type: 'boolean', default: false })
  introspectionAllowed!: boolean;

  @Column({ name: 'grant_types', type: 'text' })
  grantTypes!: string;

  /** Seconds; null means the server default (ACCESS_TOKEN_TTL). */
  @Column({ name: 'access_token_ttl', type: 'integer', nullable: true })
  accessTokenTtl!: number | null;

  @Column({ type: 'varchar', length: 16 })
  status!: ClientStatus;

  /**
   * Access tokens issued before this instant are refused. Set when the client is
   * disabled, so re-enabling it does not bring back tokens that were out there.
   */
  @Column({ name: 'tokens_revoked_before', type: TIMESTAMP_COLUMN, nullable: true })
  tokensRevokedBefore!: Date | null;

  @Column({ name: 'created_at', type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP_COLUMN })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: TIMESTAMP_COLUMN, nullable: true })
  deletedAt!: Date | null;
}

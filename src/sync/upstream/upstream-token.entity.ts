import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

/**
 * The access token a connection's worker last got from the upstream's
 * authorization server, shared by every replica (one fetch per token lifetime,
 * not one per replica). Encrypted at rest; bound to the credentials that fetched it.
 */
@Entity('upstream_tokens')
export class UpstreamTokenEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  @ForeignKey('sync_connections', { name: 'fk_upstream_tokens_connection', onDelete: 'CASCADE' })
  connectionId!: string;

  /** A digest of the credentials that fetched the token (never the credentials themselves). */
  @Column({ name: 'credentials_key', type: 'varchar', length: 64 })
  credentialsKey!: string;

  /** SecretsKeyring ciphertext of the access token. */
  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  @Column({ name: 'expires_at', type: TIMESTAMP_COLUMN })
  expiresAt!: Date;

  @Column({ name: 'fetched_at', type: TIMESTAMP_COLUMN })
  fetchedAt!: Date;
}

import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../database/column-types.js';

/** A client secret, kept only as a keyed hash that names its algorithm. */
@Entity('client_secrets')
@Index('ix_client_secrets_client', ['clientId'])
export class ClientSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 128 })
  @ForeignKey('clients', { name: 'fk_client_secrets_client', onDelete: 'CASCADE' })
  clientId!: string;

  @Column({ name: 'hash_alg', type: 'varchar', length: 32 })
  hashAlg!: string;

  @Column({ type: 'varchar', length: 128 })
  hash!: string;

  /** The last characters of the secret, so operators can tell secrets apart. */
  @Column({ type: 'varchar', length: 8 })
  hint!: string;

  @Column({ name: 'created_at', type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: TIMESTAMP_COLUMN, nullable: true })
  expiresAt!: Date | null;

  /** When the secret last authenticated a request; written in batches, so it may lag by a minute. */
  @Column({ name: 'last_used_at', type: TIMESTAMP_COLUMN, nullable: true })
  lastUsedAt!: Date | null;

  /** When an operator revoked the secret; a revoked secret is refused like a wrong one. */
  @Column({ name: 'revoked_at', type: TIMESTAMP_COLUMN, nullable: true })
  revokedAt!: Date | null;
}

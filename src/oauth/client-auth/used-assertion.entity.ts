import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

/**
 * A client assertion's `jti`, recorded when first used so that a replay is
 * refused on every replica (RFC 7523 section 3, item 7). Kept until the
 * assertion expires; after that its `exp` refuses it.
 */
@Entity('used_client_assertions')
@Index('ix_used_client_assertions_expires_at', ['expiresAt'])
export class UsedAssertionEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  jti!: string;

  @Column({ name: 'expires_at', type: TIMESTAMP_COLUMN })
  expiresAt!: Date;
}

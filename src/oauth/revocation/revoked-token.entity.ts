import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

/**
 * An access token revoked before its expiry (RFC 7009). Kept only until the
 * token would have expired anyway: after that it is refused for its `exp`.
 */
@Entity('revoked_tokens')
@Index('ix_revoked_tokens_revoked_at', ['revokedAt'])
@Index('ix_revoked_tokens_expires_at', ['expiresAt'])
export class RevokedTokenEntity {
  /** The token's `jti` (a UUIDv7). */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  jti!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 36 })
  organizationId!: string;

  @Column({ name: 'expires_at', type: TIMESTAMP_COLUMN })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: TIMESTAMP_COLUMN })
  revokedAt!: Date;
}

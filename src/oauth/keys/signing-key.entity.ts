import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';
import type { SigningAlgorithm } from '../../config/environment.js';

export type SigningKeyStatus = 'active' | 'retired';

/** A JWT signing key pair; every replica reads the same keys from the database. */
@Entity('signing_keys')
@Index('ux_signing_keys_one_active', ['status'], { unique: true, where: "status = 'active'" })
export class SigningKeyEntity {
  /** RFC 7638 JWK thumbprint of the public key. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 8 })
  alg!: SigningAlgorithm;

  /** The public key as a JWK (JSON text). */
  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk!: string;

  /** The PKCS#8 private key, encrypted with the SECRETS_KEY-derived key. */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SigningKeyStatus;

  @Column({ name: 'created_at', type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  /** When the key stopped signing; it stays published until tokens it signed have expired. */
  @Column({ name: 'retired_at', type: TIMESTAMP_COLUMN, nullable: true })
  retiredAt!: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../database/column-types.js';

/** A client secret, kept only as a keyed hash that names its algorithm. */
@Entity('client_secrets')
export class ClientSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 128 })
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
}

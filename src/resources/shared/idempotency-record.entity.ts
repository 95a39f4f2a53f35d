import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

/** The stored outcome of a POST made with an Idempotency-Key, replayed when the POST is retried. */
@Entity('idempotency_records')
@Index('ix_idempotency_records_expires', ['expiresAt'])
export class IdempotencyRecordEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 36 })
  organizationId!: string;

  /** The route the key was used on, so one key cannot replay another endpoint's answer. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  scope!: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey!: string;

  /** SHA-256 of the request body, to refuse a key reused for a different request. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ name: 'response_status', type: 'integer' })
  responseStatus!: number;

  @Column({ name: 'response_body', type: 'text' })
  responseBody!: string;

  @Column({ name: 'created_at', type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: TIMESTAMP_COLUMN })
  expiresAt!: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../database/column-types.js';

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * One security-relevant event: a token issued or refused, or a change to an
 * organization, client, secret, signing key or sync connection. Never holds a
 * secret, a token or an assertion.
 */
@Entity('audit_events')
@Index('ix_audit_events_occurred_at', ['occurredAt'])
@Index('ix_audit_events_organization', ['organizationId', 'id'])
@Index('ix_audit_events_action', ['action', 'id'])
@Index('ix_audit_events_client', ['clientId', 'id'])
@Index('ix_audit_events_target', ['targetType', 'targetId', 'id'])
export class AuditEventEntity {
  /** UUIDv7, so id order is time order and cursors are keyset cursors over it. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'occurred_at', type: TIMESTAMP_COLUMN })
  occurredAt!: Date;

  /** What happened, as `<subject>.<verb>`: token.issued, token.refused, client.created, ... */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  /** The client that acted (the token requester, or the admin client behind a change), when known. */
  @Column({ name: 'client_id', type: 'varchar', length: 128, nullable: true })
  clientId!: string | null;

  @Column({ name: 'organization_id', type: 'varchar', length: 36, nullable: true })
  organizationId!: string | null;

  /** What the event is about, e.g. `client` and its ID; null when it is about the actor itself. */
  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 128, nullable: true })
  targetId!: string | null;

  @Column({ name: 'source_address', type: 'varchar', length: 64, nullable: true })
  sourceAddress!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  /** Event-specific facts as JSON text (scopes, the refusal reason, changed fields): never secrets. */
  @Column({ type: 'text' })
  details!: string;
}

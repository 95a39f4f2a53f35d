import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_OUTCOMES, type AuditEventEntity, type AuditOutcome } from '../audit-event.entity.js';

export class AuditTargetResponse {
  @ApiProperty({
    example: 'client',
    description: 'What kind of thing the event is about: organization, client, client_secret, signing_key, sync_connection, token.',
  })
  type!: string;

  @ApiProperty({ type: String, nullable: true, example: 'orgsync_2f9c1e4b7a' })
  id!: string | null;
}

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid', description: 'A UUIDv7 whose timestamp is occurred_at; newer events have greater IDs.' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurred_at!: string;

  @ApiProperty({ example: 'token.issued', description: 'What happened, as `<subject>.<verb>`.' })
  action!: string;

  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The client that acted: the token requester, or the admin client behind a change; null for the command line.',
  })
  client_id!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The organization the event concerns.' })
  organization_id!: string | null;

  @ApiProperty({
    type: AuditTargetResponse,
    nullable: true,
    description: 'What the event is about; null when it is about the actor itself.',
  })
  target!: AuditTargetResponse | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '203.0.113.7',
    description: "The caller's address (TRUST_PROXY decides whether X-Forwarded-For counts).",
  })
  source_address!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The X-Request-ID of the request that caused the event.' })
  request_id!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { grant_type: 'client_credentials', scope: 'org:read', jti: '0193a6f2-7c1e-7b3a-9d4e-5f6a7b8c9d0e' },
    description: 'Facts about the event (scopes, the refusal reason, the fields changed, `via: cli`); never a secret or a token.',
  })
  details!: Record<string, unknown>;
}

/** A plain object of the AuditEventResponse shape (never the entity). */
export function toAuditEventResponse(event: AuditEventEntity): AuditEventResponse {
  return {
    id: event.id,
    occurred_at: event.occurredAt.toISOString(),
    action: event.action,
    outcome: event.outcome,
    client_id: event.clientId,
    organization_id: event.organizationId,
    target: event.targetType === null ? null : { type: event.targetType, id: event.targetId },
    source_address: event.sourceAddress,
    request_id: event.requestId,
    details: parseDetails(event.details),
  };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

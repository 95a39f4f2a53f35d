import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsRFC3339, IsString, Matches, MaxLength } from 'class-validator';
import { DomainError } from '../../common/errors/domain-error.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../audit-event.entity.js';
import type { AuditEventFilter } from '../audit-events.repository.js';

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const ACTION_PREFIX = /^[a-z][a-z0-9_]*(\.[a-z0-9_]*)*$/;

/** `GET /admin/audit-events` and `orgsync audit list`: filters (combined with AND) and the page. */
export class AuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'token.refused', description: 'Only events with exactly this action.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(ACTION, { message: 'action must look like token.issued' })
  action?: string;

  @ApiPropertyOptional({ example: 'token.', description: 'Only events whose action starts with this, e.g. `token.` or `client_secret.`.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(ACTION_PREFIX, { message: 'action_prefix must look like token. or client_secret.' })
  action_prefix?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES, { message: `outcome must be one of ${AUDIT_OUTCOMES.join(', ')}` })
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ description: 'Only events whose actor is this client.' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  client_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events concerning this organization.' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  organization_id?: string;

  @ApiPropertyOptional({ example: 'client', description: 'Only events about this kind of thing.' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  target_type?: string;

  @ApiPropertyOptional({ description: 'Only events about the thing with this ID (combine with target_type).' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  target_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only events at or after this instant (RFC 3339).' })
  @IsOptional()
  @IsRFC3339({ message: 'since must be an RFC 3339 date-time, such as 2026-01-31T12:00:00Z' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only events before this instant (RFC 3339).' })
  @IsOptional()
  @IsRFC3339({ message: 'until must be an RFC 3339 date-time, such as 2026-01-31T12:00:00Z' })
  until?: string;
}

export function toAuditEventFilter(query: AuditEventsQueryDto): AuditEventFilter {
  return {
    action: query.action,
    actionPrefix: query.action_prefix,
    outcome: query.outcome,
    clientId: query.client_id,
    organizationId: query.organization_id,
    targetType: query.target_type,
    targetId: query.target_id,
    since: instant('since', query.since),
    until: instant('until', query.until),
  };
}

function instant(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw DomainError.invalidField(field, `${field} must be an RFC 3339 date-time, such as 2026-01-31T12:00:00Z`);
  return date;
}

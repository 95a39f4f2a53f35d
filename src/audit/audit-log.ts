import { Injectable } from '@nestjs/common';
import type { AuditOutcome } from './audit-event.entity.js';

/** What an audit event says; the actor, source address and request ID default to the current request's. */
export interface AuditEventInput {
  /** `<subject>.<verb>`, e.g. token.issued, token.refused, client.created, client_secret.revoked, signing_key.rotated. */
  readonly action: string;
  readonly outcome?: AuditOutcome;
  /** The acting client; defaults to the authenticated caller of the current request. */
  readonly clientId?: string | null;
  readonly organizationId?: string | null;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  readonly sourceAddress?: string | null;
  readonly requestId?: string | null;
  /** Facts about the event. Never a secret, a token or an assertion. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The audit log. `record` never blocks the caller on the database.
 * PLACEHOLDER: implemented in the audit work; until then events are dropped.
 */
@Injectable()
export class AuditLog {
  record(_event: AuditEventInput): void {}
}

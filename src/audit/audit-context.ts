import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { currentFrame, runWithParts } from '../common/async-context.js';
import { currentRequest } from '../common/http/request-context.js';

/** Where the work being audited comes from; the audit log fills in what an event leaves out from here. */
export interface AuditContext {
  readonly requestId?: string | null;
  readonly sourceAddress?: string | null;
  /** The authenticated caller (an admin client, a partner), once the bearer guard has run. */
  readonly clientId?: string | null;
  readonly organizationId?: string | null;
  /** Set for work that no HTTP request carries: the command line, or a scheduled job. */
  readonly via?: 'cli' | 'schedule';
}

/**
 * Runs `work` with `context` as the audit context of everything it calls,
 * awaited continuations included (AsyncLocalStorage follows the async chain).
 */
export function withAuditContext<T>(context: AuditContext, work: () => T): T {
  return runWithParts({ audit: context }, work);
}

/**
 * The audit context of the code running now, if any: one set explicitly (the
 * CLI, a scheduled job, a test), else that of the HTTP request being handled:
 * its ID, the caller's address and, once the bearer guard has run, the
 * principal it established. Read from the request when an event is recorded,
 * so no per-request interceptor has to set it up.
 */
export function currentAuditContext(): AuditContext | undefined {
  const explicit = currentFrame()?.audit as AuditContext | undefined;
  if (explicit) return explicit;
  const request = currentRequest();
  return request ? requestAuditContext(request as FastifyRequest & { user?: Principal }) : undefined;
}

function requestAuditContext(request: FastifyRequest & { user?: Principal }): AuditContext {
  return {
    requestId: String(request.id),
    sourceAddress: request.ip,
    clientId: request.user?.clientId ?? null,
    organizationId: request.user?.organizationId ?? null,
  };
}

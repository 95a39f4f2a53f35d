import { AsyncLocalStorage } from 'node:async_hooks';

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

const storage = new AsyncLocalStorage<AuditContext>();

/**
 * Runs `work` with `context` as the audit context of everything it calls,
 * awaited continuations included (AsyncLocalStorage follows the async chain).
 */
export function withAuditContext<T>(context: AuditContext, work: () => T): T {
  return storage.run(context, work);
}

/** The audit context of the code running now, if any. */
export function currentAuditContext(): AuditContext | undefined {
  return storage.getStore();
}

import { Module } from '@nestjs/common';
import { AuditRetentionScheduler } from './audit-retention.scheduler.js';

/**
 * The server's side of the audit log, whatever the process's role: hourly
 * retention. (The request context every HTTP request's events default to is
 * read from the request itself: audit-context.ts.) The admin route is
 * AuditApiModule. Imported by AppModule only; the CLI has no HTTP and no scheduler.
 */
@Module({
  providers: [AuditRetentionScheduler],
})
export class AuditServerModule {}

import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdminAuditEventsController } from './admin-audit-events.controller.js';
import { AuditContextInterceptor } from './audit-context.interceptor.js';
import { AuditRetentionScheduler } from './audit-retention.scheduler.js';

/**
 * The server's side of the audit log: GET /admin/audit-events, the request
 * context every HTTP request's events default to, and hourly retention.
 * Imported by AppModule only; the CLI has no HTTP and no scheduler.
 */
@Module({
  controllers: [AdminAuditEventsController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: AuditContextInterceptor }, AuditRetentionScheduler],
})
export class AuditServerModule {}

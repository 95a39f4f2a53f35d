import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditContextInterceptor } from './audit-context.interceptor.js';
import { AuditRetentionScheduler } from './audit-retention.scheduler.js';

/**
 * The server's side of the audit log, whatever the process's role: the request
 * context every HTTP request's events default to, and hourly retention. The
 * admin route is AuditApiModule. Imported by AppModule only; the CLI has no
 * HTTP and no scheduler.
 */
@Module({
  providers: [{ provide: APP_INTERCEPTOR, useClass: AuditContextInterceptor }, AuditRetentionScheduler],
})
export class AuditServerModule {}

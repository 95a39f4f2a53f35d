import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditCursors } from './audit-cursors.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditEventsQuery } from './audit-events.query.js';
import { AuditEventsRepository } from './audit-events.repository.js';
import { AuditLog } from './audit-log.js';
import { AuditRetention } from './audit-retention.js';

/**
 * The audit log, available to every module that changes something worth
 * auditing, and its reading and pruning for the admin API and the CLI. The
 * server-only parts are apart: the request context and the retention schedule
 * in AuditServerModule (every role), the admin route in AuditApiModule.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  providers: [AuditEventsRepository, AuditLog, AuditCursors, AuditEventsQuery, AuditRetention],
  exports: [AuditLog, AuditEventsQuery, AuditRetention],
})
export class AuditModule {}

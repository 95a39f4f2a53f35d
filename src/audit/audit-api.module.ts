import { Module } from '@nestjs/common';
import { AdminAuditEventsController } from './admin-audit-events.controller.js';

/** GET /admin/audit-events: loaded where the process serves the APIs (ROLE api or both). AuditModule is global. */
@Module({
  controllers: [AdminAuditEventsController],
})
export class AuditApiModule {}

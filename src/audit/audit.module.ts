import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log.js';

/** The audit log, available to every module that changes something worth auditing. */
@Global()
@Module({
  providers: [AuditLog],
  exports: [AuditLog],
})
export class AuditModule {}

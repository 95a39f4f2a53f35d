import { Module } from '@nestjs/common';
import { SyncEngineModule } from './sync-engine.module.js';
import { SyncRunTriggerController } from './sync-run-trigger.controller.js';

/**
 * POST /admin/sync-connections/:id/runs: loaded where the process serves the
 * APIs. With ROLE=api the run is only queued here; a worker replica takes it.
 */
@Module({
  imports: [SyncEngineModule],
  controllers: [SyncRunTriggerController],
})
export class SyncTriggerApiModule {}

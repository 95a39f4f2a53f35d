import { Module } from '@nestjs/common';
import { SyncConnectionsApiModule } from './connections/sync-connections-api.module.js';
import { SyncTriggerApiModule } from './engine/sync-trigger-api.module.js';
import { SyncRunsModule } from './runs/sync-runs.module.js';

/**
 * The sync worker's administration over HTTP: connections, run history and the
 * manual trigger. The worker itself (SyncEngineModule) is loaded apart, in every role.
 */
@Module({
  imports: [SyncConnectionsApiModule, SyncRunsModule, SyncTriggerApiModule],
})
export class SyncApiModule {}

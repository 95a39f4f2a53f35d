import { Module } from '@nestjs/common';
import { SyncConnectionsModule } from './connections/sync-connections.module.js';
import { SyncEngineModule } from './engine/sync-engine.module.js';
import { SyncRunsModule } from './runs/sync-runs.module.js';

/** The sync worker and its administration: connections, run history, the engine that runs them. */
@Module({
  imports: [SyncConnectionsModule, SyncRunsModule, SyncEngineModule],
})
export class SyncModule {}

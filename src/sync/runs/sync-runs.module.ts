import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SharedResourcesModule } from '../../resources/shared/shared-resources.module.js';
import { SyncConnectionsModule } from '../connections/sync-connections.module.js';
import { AdminSyncRunsController } from './admin-sync-runs.controller.js';
import { SyncRunEntity } from './sync-run.entity.js';
import { SyncRunsQueryRepository } from './sync-runs-query.repository.js';
import { SyncRunsQueryService } from './sync-runs-query.service.js';
import { SyncRunsController } from './sync-runs.controller.js';

/** Run history, read side: the admin and partner APIs. The worker writes runs elsewhere (SyncRunsRepository). */
@Module({
  imports: [TypeOrmModule.forFeature([SyncRunEntity]), SyncConnectionsModule, SharedResourcesModule],
  controllers: [AdminSyncRunsController, SyncRunsController],
  providers: [SyncRunsQueryRepository, SyncRunsQueryService],
  exports: [SyncRunsQueryRepository, SyncRunsQueryService],
})
export class SyncRunsModule {}

import { Module } from '@nestjs/common';
import { AdminSyncConnectionsController } from './admin-sync-connections.controller.js';
import { SyncConnectionsModule } from './sync-connections.module.js';

/** /admin/.../sync-connections: loaded where the process serves the APIs (ROLE api or both). */
@Module({
  imports: [SyncConnectionsModule],
  controllers: [AdminSyncConnectionsController],
})
export class SyncConnectionsApiModule {}

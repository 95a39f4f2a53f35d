import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationsModule } from '../../organizations/organizations.module.js';
import { AdminSyncConnectionsController } from './admin-sync-connections.controller.js';
import { SyncConnectionEntity } from './sync-connection.entity.js';
import { SyncConnectionsRepository } from './sync-connections.repository.js';
import { SyncConnectionsService } from './sync-connections.service.js';

/** Sync connections and their admin API; the sync engine reads connections and their credentials through the exports. */
@Module({
  imports: [TypeOrmModule.forFeature([SyncConnectionEntity]), OrganizationsModule],
  controllers: [AdminSyncConnectionsController],
  providers: [SyncConnectionsRepository, SyncConnectionsService],
  exports: [SyncConnectionsRepository, SyncConnectionsService],
})
export class SyncConnectionsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationsModule } from '../../organizations/organizations.module.js';
import { SyncConnectionEntity } from './sync-connection.entity.js';
import { SyncConnectionsRepository } from './sync-connections.repository.js';
import { SyncConnectionsService } from './sync-connections.service.js';

/** Sync connections; the sync engine reads them and their credentials through the exports. Their admin API is SyncConnectionsApiModule. */
@Module({
  imports: [TypeOrmModule.forFeature([SyncConnectionEntity]), OrganizationsModule],
  providers: [SyncConnectionsRepository, SyncConnectionsService],
  exports: [SyncConnectionsRepository, SyncConnectionsService],
})
export class SyncConnectionsModule {}

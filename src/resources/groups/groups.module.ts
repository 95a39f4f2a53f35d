import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module.js';
import { SharedResourcesModule } from '../shared/shared-resources.module.js';
import { GroupMembershipsRepository } from './group-memberships.repository.js';
import { GroupsController } from './groups.controller.js';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';
import { MemberDeletionListener } from './member-deletion.listener.js';

@Module({
  imports: [SharedResourcesModule, MembersModule],
  controllers: [GroupsController],
  providers: [GroupsRepository, GroupMembershipsRepository, GroupsService, MemberDeletionListener],
})
export class GroupsModule {}

import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { MembersModule } from './members/members.module.js';
import { OrganizationController } from './organization/organization.controller.js';

/** The organization APIs partners call with their access tokens. */
@Module({
  imports: [OrganizationsModule, MembersModule, GroupsModule],
  controllers: [OrganizationController],
})
export class ResourcesModule {}

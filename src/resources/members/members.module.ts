import { Module } from '@nestjs/common';
import { SharedResourcesModule } from '../shared/shared-resources.module.js';
import { MemberEvents } from './member-events.js';
import { MembersController } from './members.controller.js';
import { MembersRepository } from './members.repository.js';
import { MembersService } from './members.service.js';

@Module({
  imports: [SharedResourcesModule],
  controllers: [MembersController],
  providers: [MembersRepository, MembersService, MemberEvents],
  exports: [MembersRepository, MembersService, MemberEvents],
})
export class MembersModule {}

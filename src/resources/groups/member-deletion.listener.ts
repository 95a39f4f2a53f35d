import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MemberEvents } from '../members/member-events.js';
import { GroupsService } from './groups.service.js';

/** Takes a deleted member out of its groups, inside the deletion's transaction. */
@Injectable()
export class MemberDeletionListener implements OnModuleInit {
  constructor(
    private readonly events: MemberEvents,
    private readonly groups: GroupsService,
  ) {}

  onModuleInit(): void {
    this.events.onMemberDeleted((manager, organizationId, memberId, at) =>
      this.groups.removeDeletedMember(manager, organizationId, memberId, at),
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

type DeletionListener = (manager: EntityManager, organizationId: string, memberId: string, at: Date) => Promise<void>;

/**
 * Lets features that refer to members (groups) react to a member's deletion
 * inside the same transaction, without members depending on them.
 */
@Injectable()
export class MemberEvents {
  private readonly deletionListeners: DeletionListener[] = [];

  onMemberDeleted(listener: DeletionListener): void {
    this.deletionListeners.push(listener);
  }

  async memberDeleted(manager: EntityManager, organizationId: string, memberId: string, at: Date): Promise<void> {
    for (const listener of this.deletionListeners) await listener(manager, organizationId, memberId, at);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../../common/clock.js';
import { DomainError, DomainErrorCode } from '../../common/errors/domain-error.js';
import { assertIfMatch } from '../shared/etag.js';
import { API_SOURCE, assertWritableThroughApi } from '../shared/ownership.js';
import type { MemberEntity } from '../members/member.entity.js';
import { GroupEntity } from './group.entity.js';
import { GroupMembershipsRepository } from './group-memberships.repository.js';
import { type GroupListFilters, GroupsRepository } from './groups.repository.js';

export interface GroupFields {
  readonly displayName: string;
  readonly externalId: string | null;
  readonly memberIds: readonly string[];
}

/** A group with the IDs of its live members, in id order. */
export interface GroupView {
  readonly group: GroupEntity;
  readonly memberIds: readonly string[];
}

/** Groups of the caller's organization: every method takes the organization from the caller's token. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly memberships: GroupMembershipsRepository,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(organizationId: string, fields: GroupFields, manager: EntityManager, source = API_SOURCE): Promise<GroupView> {
    await this.assertLiveMembers(organizationId, fields.memberIds, manager);
    const now = this.clock.now();
    const group = Object.assign(new GroupEntity(), {
      id: uuidv7(),
      organizationId,
      displayName: fields.displayName,
      externalId: fields.externalId,
      source,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await this.groups.insert(group, manager);
    await this.memberships.add(organizationId, group.id, fields.memberIds, manager);
    return this.view(group, manager);
  }

  async get(organizationId: string, id: string): Promise<GroupView> {
    return this.view(await this.live(organizationId, id));
  }

  list(organizationId: string, filters: GroupListFilters, limit: number, afterId?: string): Promise<GroupEntity[]> {
    return this.groups.list(organizationId, filters, limit, afterId);
  }

  /** The member IDs of a page of groups, from one query. */
  async withMemberIds(organizationId: string, groups: readonly GroupEntity[]): Promise<GroupView[]> {
    const byGroup = await this.memberships.memberIdsByGroup(
      organizationId,
      groups.map((group) => group.id),
    );
    return groups.map((group) => ({ group, memberIds: byGroup.get(group.id) ?? [] }));
  }

  /** A page of the group's live members; a group that is not the caller's is a 404. */
  async members(organizationId: string, groupId: string, limit: number, afterId?: string): Promise<MemberEntity[]> {
    await this.live(organizationId, groupId);
    return this.memberships.liveMembersOf(organizationId, groupId, limit, afterId);
  }

  /** Changes the group; `memberIds`, when given, replaces the whole membership. */
  async update(organizationId: string, id: string, changes: Partial<GroupFields>, ifMatch?: string): Promise<GroupView> {
    return this.dataSource.transaction(async (manager) => {
      const group = await this.writable(organizationId, id, ifMatch, manager);
      if (changes.memberIds !== undefined) await this.assertLiveMembers(organizationId, changes.memberIds, manager);
      const version = group.version;
      if (changes.displayName !== undefined) group.displayName = changes.displayName;
      if (changes.externalId !== undefined) group.externalId = changes.externalId;
      group.version = version + 1;
      group.updatedAt = this.clock.now();
      // The group row first, then its memberships: the order member deletion uses too, so the two never deadlock.
      await this.saveIfUnchanged(group, version, manager);
      if (changes.memberIds !== undefined) {
        await this.memberships.removeAllOfGroup(organizationId, id, manager);
        await this.memberships.add(organizationId, id, changes.memberIds, manager);
      }
      return this.view(group, manager);
    });
  }

  /** A soft delete: the record stays as a tombstone that incremental reads report; its memberships go. */
  async delete(organizationId: string, id: string, ifMatch?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await this.writable(organizationId, id, ifMatch, manager);
      const version = group.version;
      const now = this.clock.now();
      Object.assign(group, { deletedAt: now, updatedAt: now, version: version + 1 });
      await this.saveIfUnchanged(group, version, manager);
      await this.memberships.removeAllOfGroup(organizationId, id, manager);
    });
  }

  /**
   * A deleted member leaves every group it was in, and each of those groups
   * changes (version and updated_at), so incremental readers see it. Runs in
   * the member deletion's transaction, with one statement for all the groups.
   */
  async removeDeletedMember(manager: EntityManager, organizationId: string, memberId: string, at: Date): Promise<void> {
    // Groups before memberships, the order group writes lock them in, so the two never deadlock.
    await this.groups.touchGroupsOf(organizationId, memberId, at, manager);
    await this.memberships.removeAllOfMember(organizationId, memberId, manager);
  }

  private async live(organizationId: string, id: string, manager?: EntityManager): Promise<GroupEntity> {
    const group = await this.groups.findLive(organizationId, id, manager);
    if (!group) throw DomainError.notFound(`Group ${id}`);
    return group;
  }

  private async writable(organizationId: string, id: string, ifMatch: string | undefined, manager: EntityManager): Promise<GroupEntity> {
    const group = await this.live(organizationId, id, manager);
    assertWritableThroughApi(group, 'group');
    assertIfMatch(ifMatch, group.version);
    return group;
  }

  /**
   * Every ID must be a live member of the caller's organization. An unknown ID
   * and another organization's get the same answer, so the error reveals
   * nothing about other organizations.
   */
  private async assertLiveMembers(organizationId: string, memberIds: readonly string[], manager: EntityManager): Promise<void> {
    const live = await this.memberships.lockLiveMemberIds(organizationId, memberIds, manager);
    const unknown = memberIds.findIndex((id) => !live.has(id));
    if (unknown >= 0) {
      throw DomainError.invalidField('member_ids', `member_ids[${unknown}] is not a live member of this organization`);
    }
  }

  private async saveIfUnchanged(group: GroupEntity, expectedVersion: number, manager: EntityManager): Promise<void> {
    if (!(await this.groups.updateIfVersion(group, expectedVersion, manager))) {
      throw new DomainError(
        DomainErrorCode.PreconditionFailed,
        'The record was changed by another request meanwhile; read it again and retry.',
      );
    }
  }

  private async view(group: GroupEntity, manager?: EntityManager): Promise<GroupView> {
    const byGroup = await this.memberships.memberIdsByGroup(group.organizationId, [group.id], manager);
    return { group, memberIds: byGroup.get(group.id) ?? [] };
  }
}

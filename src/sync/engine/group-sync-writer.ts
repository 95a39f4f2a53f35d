import { Injectable } from '@nestjs/common';
import { type EntityManager, In, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { GroupMembershipEntity } from '../../resources/groups/group-membership.entity.js';
import { GroupEntity } from '../../resources/groups/group.entity.js';
import { MemberEntity } from '../../resources/members/member.entity.js';
import type { UpstreamGroup } from '../connectors/sync-connector.js';
import type { StreamCounts } from '../runs/sync-run.entity.js';

/**
 * Writes one page of upstream groups, with their memberships resolved to the
 * connection's live members, inside the page's transaction. A group whose
 * name or membership changed gets a new version, so incremental readers see it.
 */
@Injectable()
export class GroupSyncWriter {
  async writePage(
    manager: EntityManager,
    target: { organizationId: string; connectionId: string; runId: string },
    upstreamGroups: readonly UpstreamGroup[],
    now: Date,
    counts: StreamCounts,
  ): Promise<void> {
    const page = [...new Map(upstreamGroups.map((g) => [g.externalId, g])).values()];
    counts.fetched += upstreamGroups.length;
    if (page.length === 0) return;
    const groups = manager.getRepository(GroupEntity);
    const existing = new Map(
      (await groups.findBy({ source: target.connectionId, externalId: In(page.map((g) => g.externalId)) })).map((g) => [g.externalId!, g]),
    );
    const memberIdsByExternal = await this.resolveMembers(manager, target.connectionId, page);
    const currentMemberships = await this.membershipsOf(
      manager,
      [...existing.values()].map((g) => g.id),
    );
    const replaced: string[] = [];
    const memberships: GroupMembershipEntity[] = [];
    const seen: string[] = [];
    for (const upstream of page) {
      const memberIds = [
        ...new Set(upstream.memberExternalIds.map((id) => memberIdsByExternal.get(id)).filter((id): id is string => !!id)),
      ].sort();
      let group = existing.get(upstream.externalId);
      if (!group) {
        group = Object.assign(new GroupEntity(), {
          id: uuidv7(),
          organizationId: target.organizationId,
          externalId: upstream.externalId,
          displayName: upstream.displayName,
          source: target.connectionId,
          version: 1,
          syncSeenRun: target.runId,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        });
        await groups.insert(group);
        counts.created++;
      } else {
        const membershipChanged = (currentMemberships.get(group.id) ?? []).join() !== memberIds.join();
        if (group.deletedAt !== null || group.displayName !== upstream.displayName || membershipChanged) {
          await groups.update(
            { id: group.id },
            { displayName: upstream.displayName, deletedAt: null, version: group.version + 1, updatedAt: now, syncSeenRun: target.runId },
          );
          counts.updated++;
        } else {
          seen.push(group.id);
          continue;
        }
      }
      replaced.push(group.id);
      for (const memberId of memberIds) {
        memberships.push(
          Object.assign(new GroupMembershipEntity(), { groupId: group.id, memberId, organizationId: target.organizationId }),
        );
      }
    }
    if (replaced.length > 0) await manager.delete(GroupMembershipEntity, { groupId: In(replaced) });
    for (let i = 0; i < memberships.length; i += 500) await manager.insert(GroupMembershipEntity, memberships.slice(i, i + 500));
    if (seen.length > 0) await groups.update({ id: In(seen) }, { syncSeenRun: target.runId });
    counts.unchanged += seen.length;
  }

  /** One query for every member external ID the page names. */
  private async resolveMembers(manager: EntityManager, connectionId: string, page: readonly UpstreamGroup[]): Promise<Map<string, string>> {
    const externalIds = [...new Set(page.flatMap((g) => g.memberExternalIds))];
    const found = new Map<string, string>();
    for (let i = 0; i < externalIds.length; i += 500) {
      const members = await manager.getRepository(MemberEntity).find({
        select: { id: true, externalId: true },
        where: { source: connectionId, externalId: In(externalIds.slice(i, i + 500)), deletedAt: IsNull() },
      });
      for (const member of members) found.set(member.externalId!, member.id);
    }
    return found;
  }

  private async membershipsOf(manager: EntityManager, groupIds: string[]): Promise<Map<string, string[]>> {
    const byGroup = new Map<string, string[]>();
    if (groupIds.length === 0) return byGroup;
    const rows = await manager.getRepository(GroupMembershipEntity).findBy({ groupId: In(groupIds) });
    for (const row of rows) byGroup.set(row.groupId, [...(byGroup.get(row.groupId) ?? []), row.memberId]);
    for (const ids of byGroup.values()) ids.sort();
    return byGroup;
  }
}

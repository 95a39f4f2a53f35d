import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { UpstreamGroup } from '../connectors/sync-connector.js';
import type { StreamCounts } from '../runs/sync-run.entity.js';
import {
  deleteMemberships,
  insertMemberships,
  markGroupsSeen,
  selectGroups,
  selectLiveMembers,
  selectMemberships,
  type StoredGroup,
  upsertGroups,
} from './group-sync-sql.js';
import { diffMemberships, groupMemberships, type MembershipDiff } from './membership-diff.js';
import { dedupe, type SyncTarget } from './sync-page.js';
import { ChunkedSql, storedInstant } from './sync-sql.js';

/** A page's group as it will be written: its ID (the stored one, or a new one) and what is stored. */
interface PlannedGroup {
  readonly upstream: UpstreamGroup;
  readonly id: string;
  readonly stored: StoredGroup | undefined;
}

/**
 * Writes one page of upstream groups, with their memberships resolved to the
 * connection's live members, inside the page's transaction. It reads what the
 * page's groups hold, works out the difference in memory (membership-diff.ts)
 * and writes only that, a chunk of rows per statement. A group whose name or
 * membership changed gets a new version, so incremental readers see it.
 */
@Injectable()
export class GroupSyncWriter {
  async writePage(
    manager: EntityManager,
    target: SyncTarget,
    upstreamGroups: readonly UpstreamGroup[],
    now: Date,
    counts: StreamCounts,
  ): Promise<void> {
    const page = dedupe(upstreamGroups);
    counts.fetched += upstreamGroups.length;
    if (page.length === 0) return;
    const sql = new ChunkedSql(manager);
    const planned = await this.plan(sql, target.connectionId, page);
    const diff = await this.diff(sql, target.connectionId, planned);
    const changed = new Set(planned.filter((group) => isChanged(group, diff)));
    const unchanged = planned.filter((group) => !changed.has(group));
    await this.write(sql, { ...target, now: storedInstant(manager, now) }, [...changed], unchanged, diff);
    const created = [...changed].filter((group) => !group.stored).length;
    counts.created += created;
    counts.updated += changed.size - created;
    counts.unchanged += unchanged.length;
  }

  /** Each upstream group with its stored row, if any (tombstones included). */
  private async plan(sql: ChunkedSql, connectionId: string, page: readonly UpstreamGroup[]): Promise<PlannedGroup[]> {
    const externalIds = page.map((group) => group.externalId);
    const rows = await sql.readAll<StoredGroup, string>(externalIds, 'wide', (ids) => selectGroups(sql.dialect, connectionId, ids));
    const stored = new Map(rows.map((group) => [group.external_id, group]));
    return page.map((upstream) => {
      const existing = stored.get(upstream.externalId);
      return { upstream, id: existing?.id ?? uuidv7(), stored: existing };
    });
  }

  /** The upstream's memberships (resolved to live member IDs) against the stored ones. */
  private async diff(sql: ChunkedSql, connectionId: string, planned: readonly PlannedGroup[]): Promise<MembershipDiff> {
    const memberIds = await this.resolveMembers(sql, connectionId, planned);
    const storedIds = planned.filter((group) => group.stored).map((group) => group.id);
    const rows = await sql.readAll<{ group_id: string; member_id: string }, string>(storedIds, 'narrow', (ids) =>
      selectMemberships(sql.dialect, ids),
    );
    const current = groupMemberships(rows.map((row) => ({ groupId: row.group_id, memberId: row.member_id })));
    const desired = new Map<string, string[]>();
    for (const group of planned) {
      const resolved = group.upstream.memberExternalIds.map((id) => memberIds.get(id));
      desired.set(
        group.id,
        resolved.filter((id): id is string => id !== undefined),
      );
    }
    return diffMemberships(desired, current);
  }

  /** Member ID by external ID, for every member the page's groups name. */
  private async resolveMembers(sql: ChunkedSql, connectionId: string, planned: readonly PlannedGroup[]): Promise<Map<string, string>> {
    const externalIds = [...new Set(planned.flatMap((group) => group.upstream.memberExternalIds))];
    const rows = await sql.readAll<{ id: string; external_id: string }, string>(externalIds, 'narrow', (ids) =>
      selectLiveMembers(sql.dialect, connectionId, ids),
    );
    return new Map(rows.map((row) => [row.external_id, row.id]));
  }

  /** The groups first (memberships reference them), then the membership difference. */
  private async write(
    sql: ChunkedSql,
    target: SyncTarget & { now: unknown },
    changed: readonly PlannedGroup[],
    unchanged: readonly PlannedGroup[],
    diff: MembershipDiff,
  ): Promise<void> {
    const rows = changed.map((group) => [group.id, group.upstream.externalId, group.upstream.displayName] as const);
    await sql.writeAll(rows, 'wide', (chunk) => upsertGroups(sql.dialect, target, chunk));
    const unchangedIds = unchanged.map((group) => group.id);
    await sql.writeAll(unchangedIds, 'narrow', (ids) => markGroupsSeen(sql.dialect, target.runId, ids));
    await sql.writeAll(diff.removes, 'narrow', (chunk) => deleteMemberships(sql.dialect, chunk));
    await sql.writeAll(diff.adds, 'narrow', (chunk) => insertMemberships(sql.dialect, target.organizationId, chunk));
  }
}

/** New, revived, renamed, or with other members: a new version that incremental readers will see. */
function isChanged(group: PlannedGroup, diff: MembershipDiff): boolean {
  const { stored, upstream } = group;
  return !stored || stored.deleted_at !== null || stored.display_name !== upstream.displayName || diff.changedGroups.has(group.id);
}

import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { MemberEntity } from '../../resources/members/member.entity.js';
import type { UpstreamUser } from '../connectors/sync-connector.js';
import type { StreamCounts } from '../runs/sync-run.entity.js';

const SYNCED_FIELDS = ['userName', 'email', 'displayName', 'givenName', 'familyName', 'title', 'department', 'active'] as const;

/**
 * Writes one page of upstream users as members of the connection, inside the
 * page's transaction. Keyed by (connection, external ID), so writing a page
 * twice (a retry, a run after a crash) changes nothing the second time.
 */
@Injectable()
export class MemberSyncWriter {
  async writePage(
    manager: EntityManager,
    target: { organizationId: string; connectionId: string; runId: string },
    users: readonly UpstreamUser[],
    now: Date,
    counts: StreamCounts,
  ): Promise<void> {
    const page = dedupe(users);
    counts.fetched += users.length;
    if (page.length === 0) return;
    const members = manager.getRepository(MemberEntity);
    const existing = new Map(
      (await members.findBy({ source: target.connectionId, externalId: In(page.map((u) => u.externalId)) })).map((m) => [m.externalId!, m]),
    );
    const created: MemberEntity[] = [];
    const seen: string[] = [];
    for (const user of page) {
      const current = existing.get(user.externalId);
      const fields = fieldsOf(user);
      if (!current) {
        created.push(
          Object.assign(new MemberEntity(), {
            id: uuidv7(),
            organizationId: target.organizationId,
            externalId: user.externalId,
            ...fields,
            source: target.connectionId,
            version: 1,
            syncSeenRun: target.runId,
            createdAt: now,
            updatedAt: now,
            deletedAt: null,
          }),
        );
      } else if (current.deletedAt !== null || SYNCED_FIELDS.some((field) => current[field] !== fields[field])) {
        // Changed upstream, or back after a deletion: a new version that incremental readers will see.
        await members.update(
          { id: current.id },
          { ...fields, deletedAt: null, version: current.version + 1, updatedAt: now, syncSeenRun: target.runId },
        );
        counts.updated++;
      } else {
        seen.push(current.id);
      }
    }
    if (created.length > 0) await members.insert(created);
    if (seen.length > 0) await members.update({ id: In(seen) }, { syncSeenRun: target.runId });
    counts.created += created.length;
    counts.unchanged += seen.length;
  }
}

function fieldsOf(user: UpstreamUser): Pick<MemberEntity, (typeof SYNCED_FIELDS)[number] | 'emailNormalized'> {
  return {
    userName: user.userName,
    email: user.email,
    emailNormalized: user.email?.toLowerCase() ?? null,
    displayName: user.displayName,
    givenName: user.givenName,
    familyName: user.familyName,
    title: user.title,
    department: user.department,
    active: user.active,
  };
}

/** Index paging over a changing upstream can repeat a record; the last copy of a page wins. */
function dedupe<T extends { externalId: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.externalId, item])).values()];
}

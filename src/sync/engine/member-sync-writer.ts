import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { UpstreamUser } from '../connectors/sync-connector.js';
import type { StreamCounts } from '../runs/sync-run.entity.js';
import { markMembersSeen, memberUpsert, type UpsertedMember } from './member-sync-sql.js';
import { dedupe, type SyncTarget } from './sync-page.js';
import { chunksOf } from '../../common/chunks.js';
import { ChunkedSql, rowsPerStatement, storedInstant } from './sync-sql.js';

/**
 * Writes one page of upstream users as members of the connection, inside the
 * page's transaction: one upsert per chunk of rows (member-sync-sql.ts), not a
 * read and a write per record. Keyed by (connection, external ID), so writing
 * a page twice (a retry, a run after a crash) changes nothing the second time.
 */
@Injectable()
export class MemberSyncWriter {
  async writePage(
    manager: EntityManager,
    target: SyncTarget,
    users: readonly UpstreamUser[],
    now: Date,
    counts: StreamCounts,
  ): Promise<void> {
    const page = dedupe(users);
    counts.fetched += users.length;
    const sql = new ChunkedSql(manager);
    const stored = storedInstant(manager, now);
    for (const chunk of chunksOf(page, rowsPerStatement(sql.dialect, 'wide'))) {
      await this.writeChunk(sql, { ...target, now: stored }, chunk, counts);
    }
  }

  private async writeChunk(
    sql: ChunkedSql,
    target: SyncTarget & { now: unknown },
    users: readonly UpstreamUser[],
    counts: StreamCounts,
  ): Promise<void> {
    const written = await sql.run<UpsertedMember>(memberUpsert(sql.dialect, target, users.map(rowOf)));
    // Only a new row has version 1: a changed one had at least 1 before and was bumped.
    const created = written.filter((row) => Number(row.version) === 1).length;
    counts.created += created;
    counts.updated += written.length - created;
    counts.unchanged += users.length - written.length;
    if (written.length === users.length) return;
    const writtenIds = new Set(written.map((row) => row.external_id));
    const unchanged = users.map((user) => user.externalId).filter((id) => !writtenIds.has(id));
    await sql.run(markMembersSeen(sql.dialect, target, unchanged));
  }
}

/** The row's values in MEMBER_ROW_COLUMNS order; the new ID is used only if the member is new. */
function rowOf(user: UpstreamUser): unknown[] {
  return [
    uuidv7(),
    user.externalId,
    user.userName,
    user.email,
    user.email?.toLowerCase() ?? null,
    user.displayName,
    user.givenName,
    user.familyName,
    user.title,
    user.department,
    user.active,
  ];
}

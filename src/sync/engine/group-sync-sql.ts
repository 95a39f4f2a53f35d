import type { Membership } from './membership-diff.js';
import { type SqlColumn, type SqlDialect, SqlParams, type Statement } from './sync-sql.js';

/*
 * The statements of the group writer. Lookups by (source, external_id) repeat
 * the partial predicate of ux_groups_source_external / ux_members_source_external
 * (`source <> 'api'`), without which SQLite would not use those indexes.
 */

/** A group row as the writer reads it (deleted_at: whatever the driver returns, null when live). */
export interface StoredGroup {
  readonly id: string;
  readonly external_id: string;
  readonly display_name: string;
  readonly deleted_at: unknown;
}

const GROUP_ROW_COLUMNS: readonly SqlColumn[] = [
  { name: 'id', pgType: 'varchar' },
  { name: 'external_id', pgType: 'varchar' },
  { name: 'display_name', pgType: 'varchar' },
];

const MEMBERSHIP_COLUMNS: readonly SqlColumn[] = [
  { name: 'group_id', pgType: 'varchar' },
  { name: 'member_id', pgType: 'varchar' },
];

/** The connection's groups (tombstones too) with these external IDs. */
export function selectGroups(dialect: SqlDialect, connectionId: string, externalIds: readonly string[]): Statement {
  const params = new SqlParams(dialect);
  const sql = params.bySourceAndExternalId('groups', 'id, external_id, display_name, deleted_at', connectionId, externalIds);
  return { sql, params };
}

/** The connection's live members with these external IDs: the only ones a synced group may hold. */
export function selectLiveMembers(dialect: SqlDialect, connectionId: string, externalIds: readonly string[]): Statement {
  const params = new SqlParams(dialect);
  const sql = params.bySourceAndExternalId('members', 'id, external_id', connectionId, externalIds, ' AND deleted_at IS NULL');
  return { sql, params };
}

/** The stored membership rows of these groups (the primary key's leading column). */
export function selectMemberships(dialect: SqlDialect, groupIds: readonly string[]): Statement {
  const params = new SqlParams(dialect);
  return { sql: `SELECT group_id, member_id FROM group_members WHERE ${params.inList('group_id', groupIds)}`, params };
}

/**
 * New groups inserted at version 1, changed ones (the caller decided which)
 * updated with version + 1 and revived if they were tombstones.
 */
export function upsertGroups(
  dialect: SqlDialect,
  target: { organizationId: string; connectionId: string; runId: string; now: unknown },
  rows: ReadonlyArray<readonly [id: string, externalId: string, displayName: string]>,
): Statement {
  const params = new SqlParams(dialect);
  const rowsCte = params.rowsCte(GROUP_ROW_COLUMNS, rows);
  const sql = `${rowsCte}
    INSERT INTO groups (id, external_id, display_name, organization_id, source, version, sync_seen_run, created_at, updated_at, deleted_at)
    SELECT r.id, r.external_id, r.display_name, ${params.add(target.organizationId, 'varchar')}, ${params.add(target.connectionId, 'varchar')},
      1, ${params.add(target.runId, 'varchar')}, ${params.add(target.now, 'timestamptz')}, ${params.add(target.now, 'timestamptz')}, NULL
    FROM r WHERE true
    ON CONFLICT (source, external_id) WHERE source <> 'api' DO UPDATE SET
      display_name = excluded.display_name, deleted_at = NULL, version = groups.version + 1,
      updated_at = excluded.updated_at, sync_seen_run = excluded.sync_seen_run`;
  return { sql, params };
}

/** Unchanged groups, marked as seen by this run (skipping those a replayed page already marked). */
export function markGroupsSeen(dialect: SqlDialect, runId: string, groupIds: readonly string[]): Statement {
  const params = new SqlParams(dialect);
  const sql =
    `UPDATE groups SET sync_seen_run = ${params.add(runId)} WHERE ${params.inList('id', groupIds)} ` +
    `AND sync_seen_run IS DISTINCT FROM ${params.add(runId)}`;
  return { sql, params };
}

/** Memberships added; one that exists already (an API write raced the page) is left as it is. */
export function insertMemberships(dialect: SqlDialect, organizationId: string, rows: readonly Membership[]): Statement {
  const params = new SqlParams(dialect);
  const rowsCte = params.rowsCte(
    MEMBERSHIP_COLUMNS,
    rows.map((row) => [row.groupId, row.memberId]),
  );
  const sql = `${rowsCte}
    INSERT INTO group_members (group_id, member_id, organization_id)
    SELECT r.group_id, r.member_id, ${params.add(organizationId, 'varchar')} FROM r WHERE true
    ON CONFLICT (group_id, member_id) DO NOTHING`;
  return { sql, params };
}

/** Memberships removed, by primary key (on PostgreSQL a join, so each row is one probe of it). */
export function deleteMemberships(dialect: SqlDialect, rows: readonly Membership[]): Statement {
  const params = new SqlParams(dialect);
  const rowsCte = params.rowsCte(
    MEMBERSHIP_COLUMNS,
    rows.map((row) => [row.groupId, row.memberId]),
  );
  const sql =
    dialect === 'postgres'
      ? `${rowsCte} DELETE FROM group_members gm USING r WHERE gm.group_id = r.group_id AND gm.member_id = r.member_id`
      : `${rowsCte} DELETE FROM group_members WHERE (group_id, member_id) IN (SELECT r.group_id, r.member_id FROM r)`;
  return { sql, params };
}

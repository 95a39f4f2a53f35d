import { type SqlColumn, type SqlDialect, SqlParams, type Statement } from './sync-sql.js';

/** The member columns a sync writes from upstream, in the order of each row's values. */
export const MEMBER_ROW_COLUMNS: readonly SqlColumn[] = [
  { name: 'id', pgType: 'varchar' },
  { name: 'external_id', pgType: 'varchar' },
  { name: 'user_name', pgType: 'varchar' },
  { name: 'email', pgType: 'varchar' },
  { name: 'email_normalized', pgType: 'varchar' },
  { name: 'display_name', pgType: 'varchar' },
  { name: 'given_name', pgType: 'varchar' },
  { name: 'family_name', pgType: 'varchar' },
  { name: 'title', pgType: 'varchar' },
  { name: 'department', pgType: 'varchar' },
  { name: 'active', pgType: 'boolean' },
];

/** Upstream fields whose change makes a new version (email_normalized follows email). */
const COMPARED = ['user_name', 'email', 'display_name', 'given_name', 'family_name', 'title', 'department', 'active'];
const UPDATED = MEMBER_ROW_COLUMNS.map((column) => column.name).filter((name) => name !== 'id' && name !== 'external_id');

/** What the upsert reports per row it inserted or changed; rows it left alone report nothing. */
export interface UpsertedMember {
  readonly external_id: string;
  readonly version: number;
}

export interface MemberUpsertTarget {
  readonly organizationId: string;
  readonly connectionId: string;
  readonly runId: string;
  /** The page's instant, as the driver stores it. */
  readonly now: unknown;
}

/**
 * One statement for a chunk of upstream users: new ones are inserted at
 * version 1; existing ones (found through ux_members_source_external, whose
 * partial predicate the conflict target repeats) are updated only when a field
 * differs or they were tombstones, with version + 1. RETURNING names exactly
 * the rows written, so the caller counts created (version 1), updated (the
 * rest) and unchanged (those not returned) without reading them first.
 */
export function memberUpsert(dialect: SqlDialect, target: MemberUpsertTarget, rows: ReadonlyArray<readonly unknown[]>): Statement {
  const params = new SqlParams(dialect);
  const rowsCte = params.rowsCte(MEMBER_ROW_COLUMNS, rows);
  const names = MEMBER_ROW_COLUMNS.map((column) => column.name);
  const constants = [
    params.add(target.organizationId, 'varchar'),
    params.add(target.connectionId, 'varchar'),
    '1',
    params.add(target.runId, 'varchar'),
    params.add(target.now, 'timestamptz'),
    params.add(target.now, 'timestamptz'),
    'NULL',
  ];
  const sql = `${rowsCte}
    INSERT INTO members (${names.join(', ')}, organization_id, source, version, sync_seen_run, created_at, updated_at, deleted_at)
    SELECT ${names.map((name) => `r.${name}`).join(', ')}, ${constants.join(', ')} FROM r WHERE true
    ON CONFLICT (source, external_id) WHERE source <> 'api' DO UPDATE SET
      ${UPDATED.map((name) => `${name} = excluded.${name}`).join(', ')},
      deleted_at = NULL, version = members.version + 1, updated_at = excluded.updated_at, sync_seen_run = excluded.sync_seen_run
    WHERE members.deleted_at IS NOT NULL OR ${COMPARED.map((name) => `members.${name} IS DISTINCT FROM excluded.${name}`).join(' OR ')}
    RETURNING external_id, version`;
  return { sql, params };
}

/**
 * Marks the chunk's unchanged members as seen by this run (the full run's
 * deletion pass spares them), skipping those a replayed page already marked.
 */
export function markMembersSeen(
  dialect: SqlDialect,
  target: Omit<MemberUpsertTarget, 'now' | 'organizationId'>,
  externalIds: readonly string[],
): Statement {
  const params = new SqlParams(dialect);
  const run = params.add(target.runId);
  if (dialect === 'postgres') {
    // The IDs first, one index probe each (see bySourceAndExternalId), then the rows by primary key.
    const seen = params.bySourceAndExternalId('members', 'id', target.connectionId, externalIds);
    const sql =
      `UPDATE members SET sync_seen_run = ${run} WHERE id = ANY(ARRAY(SELECT s.id FROM (${seen}) AS s)) ` +
      `AND sync_seen_run IS DISTINCT FROM ${params.add(target.runId)}`;
    return { sql, params };
  }
  const source = params.add(target.connectionId);
  const sql =
    `UPDATE members SET sync_seen_run = ${run} WHERE source = ${source} AND source <> 'api' ` +
    `AND ${params.inList('external_id', externalIds)} AND sync_seen_run IS DISTINCT FROM ${params.add(target.runId)}`;
  return { sql, params };
}

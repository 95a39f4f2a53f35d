import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

export const SYNC_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];
export type SyncRunTrigger = 'schedule' | 'manual';
export type SyncRunMode = 'full' | 'incremental';

export interface StreamCounts {
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export interface SyncRunStats {
  members: StreamCounts;
  groups: StreamCounts;
}

/** One run of a sync connection, from queued to succeeded or failed. */
@Entity('sync_runs')
@Index('ix_sync_runs_connection', ['connectionId', 'id'])
@Index('ix_sync_runs_organization', ['organizationId', 'id'])
export class SyncRunEntity {
  /** UUIDv7: runs list newest or oldest first by id. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  @ForeignKey('sync_connections', { name: 'fk_sync_runs_connection', onDelete: 'CASCADE' })
  connectionId!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 36 })
  organizationId!: string;

  @Column({ type: 'varchar', length: 16 })
  trigger!: SyncRunTrigger;

  @Column({ type: 'varchar', length: 16 })
  status!: SyncRunStatus;

  @Column({ type: 'varchar', length: 16, nullable: true })
  mode!: SyncRunMode | null;

  /** JSON SyncRunStats. */
  @Column({ type: 'text' })
  stats!: string;

  @Column({ type: 'integer' })
  pages!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /**
   * JSON SyncCheckpoint (sync-checkpoint.ts): where the listing stood after the
   * last committed page, written in that page's transaction. A replica that
   * takes over a dead (or shut down) one's run resumes from here. Null until the run starts.
   */
  @Column({ type: 'text', nullable: true })
  checkpoint!: string | null;

  @Column({ name: 'queued_at', type: TIMESTAMP_COLUMN })
  queuedAt!: Date;

  @Column({ name: 'started_at', type: TIMESTAMP_COLUMN, nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: TIMESTAMP_COLUMN, nullable: true })
  finishedAt!: Date | null;
}

export function emptyStats(): SyncRunStats {
  const zero = (): StreamCounts => ({ fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 });
  return { members: zero(), groups: zero() };
}

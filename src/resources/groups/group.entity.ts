import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

/** A group of an organization's members. Soft-deleted records stay as tombstones. */
@Entity('groups')
@Index('ix_groups_organization_id', ['organizationId', 'id'])
@Index('ix_groups_organization_updated', ['organizationId', 'updatedAt'])
// The list filters' indexes: the equality, then id for the keyset order (migration ListFilterIndexes).
@Index('ix_groups_organization_external_id', ['organizationId', 'externalId', 'id'])
@Index('ix_groups_organization_display_name', ['organizationId', 'displayName', 'id'])
@Index('ux_groups_source_external', ['source', 'externalId'], { unique: true, where: "source <> 'api'" })
export class GroupEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 36 })
  @ForeignKey('organizations', { name: 'fk_groups_organization' })
  organizationId!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ name: 'display_name', type: 'varchar', length: 255 })
  displayName!: string;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** The last sync run that saw this record upstream: after a full listing, unseen synced records are deleted. */
  @Column({ name: 'sync_seen_run', type: 'varchar', length: 36, nullable: true })
  syncSeenRun!: string | null;

  @Column({ name: 'created_at', type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP_COLUMN })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: TIMESTAMP_COLUMN, nullable: true })
  deletedAt!: Date | null;
}

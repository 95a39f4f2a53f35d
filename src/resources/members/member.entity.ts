import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../database/column-types.js';

/** A person of an organization. Soft-deleted records stay as tombstones for incremental readers. */
@Entity('members')
@Index('ix_members_organization_id', ['organizationId', 'id'])
@Index('ix_members_organization_updated', ['organizationId', 'updatedAt'])
@Index('ux_members_live_email', ['organizationId', 'emailNormalized'], {
  unique: true,
  where: 'deleted_at IS NULL AND email_normalized IS NOT NULL',
})
// The list filters' indexes: the equality, then id for the keyset order (migration ListFilterIndexes).
@Index('ix_members_organization_email', ['organizationId', 'emailNormalized', 'id'])
@Index('ix_members_organization_active', ['organizationId', 'active', 'id'])
@Index('ux_members_source_external', ['source', 'externalId'], { unique: true, where: "source <> 'api'" })
export class MemberEntity {
  /** UUIDv7: immutable and time-ordered, the key of stable keyset pagination. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 36 })
  @ForeignKey('organizations', { name: 'fk_members_organization' })
  organizationId!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ name: 'user_name', type: 'varchar', length: 255 })
  userName!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  /** Lower-cased email: uniqueness and the email filter ignore case. */
  @Column({ name: 'email_normalized', type: 'varchar', length: 254, nullable: true })
  emailNormalized!: string | null;

  @Column({ name: 'display_name', type: 'varchar', length: 255, nullable: true })
  displayName!: string | null;

  @Column({ name: 'given_name', type: 'varchar', length: 255, nullable: true })
  givenName!: string | null;

  @Column({ name: 'family_name', type: 'varchar', length: 255, nullable: true })
  familyName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  title!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  department!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** "api", or the ID of the sync connection that owns the record. */
  @Column({ type: 'varchar', length: 64 })
  source!: string;

  /** Incremented on every change; the ETag. */
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

import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/** One member in one group. Rows exist for live groups and live members only. */
@Entity('group_members')
@Index('ix_group_members_member', ['memberId'])
export class GroupMembershipEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 })
  @ForeignKey('groups', { name: 'fk_group_members_group', onDelete: 'CASCADE' })
  groupId!: string;

  @PrimaryColumn({ name: 'member_id', type: 'varchar', length: 36 })
  @ForeignKey('members', { name: 'fk_group_members_member', onDelete: 'CASCADE' })
  memberId!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 36 })
  organizationId!: string;
}

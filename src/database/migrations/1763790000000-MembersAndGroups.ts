import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from './migration-types.js';

/** The organization data: members, groups and their memberships, and idempotency records for POSTs. */
export class MembersAndGroups1763790000000 implements MigrationInterface {
  name = 'MembersAndGroups1763790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const organizationForeignKey = (table: string) =>
      new TableForeignKey({
        name: `fk_${table}_organization`,
        columnNames: ['organization_id'],
        referencedTableName: 'organizations',
        referencedColumnNames: ['id'],
      });

    await queryRunner.createTable(
      new Table({
        name: 'members',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organization_id', type: 'varchar', length: '36' },
          { name: 'external_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'user_name', type: 'varchar', length: '255' },
          { name: 'email', type: 'varchar', length: '254', isNullable: true },
          { name: 'email_normalized', type: 'varchar', length: '254', isNullable: true },
          { name: 'display_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'given_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'family_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'title', type: 'varchar', length: '255', isNullable: true },
          { name: 'department', type: 'varchar', length: '255', isNullable: true },
          { name: 'active', type: 'boolean' },
          { name: 'source', type: 'varchar', length: '64' },
          { name: 'version', type: 'integer' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
          { name: 'deleted_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [organizationForeignKey('members')],
        indices: [
          new TableIndex({ name: 'ix_members_organization_id', columnNames: ['organization_id', 'id'] }),
          new TableIndex({ name: 'ix_members_organization_updated', columnNames: ['organization_id', 'updated_at'] }),
          new TableIndex({ name: 'ix_members_organization_external', columnNames: ['organization_id', 'external_id'] }),
          new TableIndex({
            name: 'ux_members_live_email',
            columnNames: ['organization_id', 'email_normalized'],
            isUnique: true,
            where: 'deleted_at IS NULL AND email_normalized IS NOT NULL',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'groups',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organization_id', type: 'varchar', length: '36' },
          { name: 'external_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'display_name', type: 'varchar', length: '255' },
          { name: 'source', type: 'varchar', length: '64' },
          { name: 'version', type: 'integer' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
          { name: 'deleted_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [organizationForeignKey('groups')],
        indices: [
          new TableIndex({ name: 'ix_groups_organization_id', columnNames: ['organization_id', 'id'] }),
          new TableIndex({ name: 'ix_groups_organization_updated', columnNames: ['organization_id', 'updated_at'] }),
          new TableIndex({ name: 'ix_groups_organization_external', columnNames: ['organization_id', 'external_id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'group_members',
        columns: [
          { name: 'group_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'member_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organization_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_group_members_group',
            columnNames: ['group_id'],
            referencedTableName: 'groups',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_group_members_member',
            columnNames: ['member_id'],
            referencedTableName: 'members',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [new TableIndex({ name: 'ix_group_members_member', columnNames: ['member_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'idempotency_records',
        columns: [
          { name: 'organization_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'scope', type: 'varchar', length: '64', isPrimary: true },
          { name: 'idempotency_key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'response_status', type: 'integer' },
          { name: 'response_body', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'ix_idempotency_records_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_records');
    await queryRunner.dropTable('group_members');
    await queryRunner.dropTable('groups');
    await queryRunner.dropTable('members');
  }
}

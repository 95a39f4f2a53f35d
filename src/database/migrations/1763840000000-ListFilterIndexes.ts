import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for the list filters, so a filtered page costs what an unfiltered
 * one does, however large the organization: each index is (organization_id,
 * <filtered column>, id), so the equality narrows to the matching rows and the
 * trailing id hands them over already in keyset order, with no sort.
 *
 * Every index is paid for by each write of the sync, so one that nothing reads
 * goes: (organization_id, external_id) on members served no query (the sync
 * looks members up by (source, external_id), and the members list has no
 * external_id filter); on groups, the new (organization_id, external_id, id)
 * covers whatever the old two-column index served.
 */
export class ListFilterIndexes1763840000000 implements MigrationInterface {
  name = 'ListFilterIndexes1763840000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('members', 'ix_members_organization_external');
    await queryRunner.dropIndex('groups', 'ix_groups_organization_external');
    for (const [table, index] of newIndexes()) await queryRunner.createIndex(table, index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, index] of newIndexes().reverse()) await queryRunner.dropIndex(table, index.name!);
    await queryRunner.createIndex('groups', listIndex('ix_groups_organization_external', ['external_id']));
    await queryRunner.createIndex('members', listIndex('ix_members_organization_external', ['external_id']));
  }
}

function listIndex(name: string, columns: readonly string[]): TableIndex {
  return new TableIndex({ name, columnNames: ['organization_id', ...columns] });
}

/** Built afresh for each use: TypeORM keeps the TableIndex objects it is given in its cached table. */
function newIndexes(): Array<readonly [string, TableIndex]> {
  return [
    ['members', listIndex('ix_members_organization_email', ['email_normalized', 'id'])],
    ['members', listIndex('ix_members_organization_active', ['active', 'id'])],
    ['groups', listIndex('ix_groups_organization_external_id', ['external_id', 'id'])],
    ['groups', listIndex('ix_groups_organization_display_name', ['display_name', 'id'])],
  ];
}

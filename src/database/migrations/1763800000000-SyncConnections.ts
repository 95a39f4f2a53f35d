import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from './migration-types.js';

/** Sync connections, their runs, and what synced members and groups need: a key per connection and a seen-marker. */
export class SyncConnections1763800000000 implements MigrationInterface {
  name = 'SyncConnections1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'sync_connections',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organization_id', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'base_url', type: 'varchar', length: '2048' },
          { name: 'token_url', type: 'varchar', length: '2048' },
          { name: 'client_id', type: 'varchar', length: '255' },
          { name: 'client_secret', type: 'text' },
          { name: 'token_endpoint_auth_method', type: 'varchar', length: '32' },
          { name: 'scope', type: 'varchar', length: '1000', isNullable: true },
          { name: 'resource', type: 'varchar', length: '2048', isNullable: true },
          { name: 'interval_seconds', type: 'integer' },
          { name: 'full_sync_every', type: 'integer' },
          { name: 'max_delete_percent', type: 'integer' },
          { name: 'enabled', type: 'boolean' },
          { name: 'deletions_confirmed', type: 'boolean' },
          { name: 'watermark', type: timestamp, isNullable: true },
          { name: 'runs_since_full', type: 'integer' },
          { name: 'next_run_at', type: timestamp },
          { name: 'consecutive_failures', type: 'integer' },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_expires_at', type: timestamp, isNullable: true },
          { name: 'lease_token', type: 'integer' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
          { name: 'deleted_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_sync_connections_organization',
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [
          new TableIndex({ name: 'ix_sync_connections_organization', columnNames: ['organization_id', 'id'] }),
          new TableIndex({ name: 'ix_sync_connections_due', columnNames: ['enabled', 'next_run_at'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sync_runs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'connection_id', type: 'varchar', length: '36' },
          { name: 'organization_id', type: 'varchar', length: '36' },
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'mode', type: 'varchar', length: '16', isNullable: true },
          { name: 'stats', type: 'text' },
          { name: 'pages', type: 'integer' },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'queued_at', type: timestamp },
          { name: 'started_at', type: timestamp, isNullable: true },
          { name: 'finished_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_sync_runs_connection',
            columnNames: ['connection_id'],
            referencedTableName: 'sync_connections',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'ix_sync_runs_connection', columnNames: ['connection_id', 'id'] }),
          new TableIndex({ name: 'ix_sync_runs_organization', columnNames: ['organization_id', 'id'] }),
        ],
      }),
    );

    for (const table of ['members', 'groups']) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'sync_seen_run', type: 'varchar', length: '36', isNullable: true }));
      await queryRunner.createIndex(
        table,
        new TableIndex({
          name: `ux_${table}_source_external`,
          columnNames: ['source', 'external_id'],
          isUnique: true,
          where: "source <> 'api'",
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['groups', 'members']) {
      await queryRunner.dropIndex(table, `ux_${table}_source_external`);
      await queryRunner.dropColumn(table, 'sync_seen_run');
    }
    await queryRunner.dropTable('sync_runs');
    await queryRunner.dropTable('sync_connections');
  }
}

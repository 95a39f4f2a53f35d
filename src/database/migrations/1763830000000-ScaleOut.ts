import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';
import { timestampType } from './migration-types.js';

/**
 * Running many replicas on one database: a sync run's checkpoint (where its
 * listing stood after the last committed page), so a replica that takes over a
 * dead one's run resumes it instead of starting again; and the sync worker's
 * upstream access tokens, shared by the replicas so that each does not fetch its own.
 */
export class ScaleOut1763830000000 implements MigrationInterface {
  name = 'ScaleOut1763830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.addColumn('sync_runs', new TableColumn({ name: 'checkpoint', type: 'text', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'upstream_tokens',
        columns: [
          { name: 'connection_id', type: 'varchar', length: '36', isPrimary: true },
          // Which credentials fetched it: new credentials never use an old token.
          { name: 'credentials_key', type: 'varchar', length: '64' },
          // Encrypted under SECRETS_KEY, like the connection's client secret.
          { name: 'access_token', type: 'text' },
          { name: 'expires_at', type: timestamp },
          { name: 'fetched_at', type: timestamp },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_upstream_tokens_connection',
            columnNames: ['connection_id'],
            referencedTableName: 'sync_connections',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('upstream_tokens');
    await queryRunner.dropColumn('sync_runs', 'checkpoint');
  }
}

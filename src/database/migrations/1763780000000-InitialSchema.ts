import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from './migration-types.js';

/** Installation settings, organizations, their clients and client secrets, and the JWT signing keys. */
export class InitialSchema1763780000000 implements MigrationInterface {
  name = 'InitialSchema1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'settings',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'text' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'organizations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'is_platform', type: 'boolean' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
          { name: 'deleted_at', type: timestamp, isNullable: true },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'clients',
        columns: [
          { name: 'client_id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'organization_id', type: 'varchar', length: '36' },
          { name: 'client_name', type: 'varchar', length: '200' },
          { name: 'scope', type: 'text' },
          { name: 'default_scope', type: 'text' },
          { name: 'token_endpoint_auth_method', type: 'varchar', length: '32' },
          { name: 'grant_types', type: 'text' },
          { name: 'access_token_ttl', type: 'integer', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'tokens_revoked_before', type: timestamp, isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
          { name: 'deleted_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_clients_organization',
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [new TableIndex({ name: 'ix_clients_organization', columnNames: ['organization_id', 'client_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'client_secrets',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'client_id', type: 'varchar', length: '128' },
          { name: 'hash_alg', type: 'varchar', length: '32' },
          { name: 'hash', type: 'varchar', length: '128' },
          { name: 'hint', type: 'varchar', length: '8' },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_client_secrets_client',
            columnNames: ['client_id'],
            referencedTableName: 'clients',
            referencedColumnNames: ['client_id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [new TableIndex({ name: 'ix_client_secrets_client', columnNames: ['client_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'alg', type: 'varchar', length: '8' },
          { name: 'public_jwk', type: 'text' },
          { name: 'private_key', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_at', type: timestamp },
          { name: 'retired_at', type: timestamp, isNullable: true },
        ],
        indices: [
          // At most one key signs at a time, whatever several processes do at once.
          new TableIndex({ name: 'ux_signing_keys_one_active', columnNames: ['status'], isUnique: true, where: "status = 'active'" }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('signing_keys');
    await queryRunner.dropTable('client_secrets');
    await queryRunner.dropTable('clients');
    await queryRunner.dropTable('organizations');
    await queryRunner.dropTable('settings');
  }
}

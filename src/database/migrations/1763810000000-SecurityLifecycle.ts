import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { timestampType } from './migration-types.js';

/**
 * The security lifecycle: private_key_jwt keys and the introspection permission
 * on clients, secret usage and revocation, revoked access tokens (RFC 7009),
 * used client assertions (RFC 7523 replay protection) and the audit log.
 */
export class SecurityLifecycle1763810000000 implements MigrationInterface {
  name = 'SecurityLifecycle1763810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.addColumns('clients', [
      new TableColumn({ name: 'jwks', type: 'text', isNullable: true }),
      new TableColumn({ name: 'jwks_uri', type: 'varchar', length: '2048', isNullable: true }),
      // The default as each database spells the entity's `default: false`.
      new TableColumn({ name: 'introspection_allowed', type: 'boolean', default: timestamp === 'timestamptz' ? 'false' : '0' }),
    ]);
    await queryRunner.addColumns('client_secrets', [
      new TableColumn({ name: 'last_used_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'revoked_at', type: timestamp, isNullable: true }),
    ]);

    await queryRunner.createTable(
      new Table({
        name: 'revoked_tokens',
        columns: [
          { name: 'jti', type: 'varchar', length: '36', isPrimary: true },
          { name: 'client_id', type: 'varchar', length: '128' },
          { name: 'organization_id', type: 'varchar', length: '36' },
          { name: 'expires_at', type: timestamp },
          { name: 'revoked_at', type: timestamp },
        ],
        indices: [
          new TableIndex({ name: 'ix_revoked_tokens_revoked_at', columnNames: ['revoked_at'] }),
          new TableIndex({ name: 'ix_revoked_tokens_expires_at', columnNames: ['expires_at'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'used_client_assertions',
        columns: [
          { name: 'client_id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'jti', type: 'varchar', length: '255', isPrimary: true },
          { name: 'expires_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'ix_used_client_assertions_expires_at', columnNames: ['expires_at'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'occurred_at', type: timestamp },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'client_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'organization_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'target_type', type: 'varchar', length: '32', isNullable: true },
          { name: 'target_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'source_address', type: 'varchar', length: '64', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'details', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_events_occurred_at', columnNames: ['occurred_at'] }),
          new TableIndex({ name: 'ix_audit_events_organization', columnNames: ['organization_id', 'id'] }),
          new TableIndex({ name: 'ix_audit_events_action', columnNames: ['action', 'id'] }),
          new TableIndex({ name: 'ix_audit_events_client', columnNames: ['client_id', 'id'] }),
          new TableIndex({ name: 'ix_audit_events_target', columnNames: ['target_type', 'target_id', 'id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
    await queryRunner.dropTable('used_client_assertions');
    await queryRunner.dropTable('revoked_tokens');
    await queryRunner.dropColumns('client_secrets', ['last_used_at', 'revoked_at']);
    await queryRunner.dropColumns('clients', ['jwks', 'jwks_uri', 'introspection_allowed']);
  }
}

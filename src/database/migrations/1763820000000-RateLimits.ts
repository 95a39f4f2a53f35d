import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Counters of the OAuth endpoints' abuse limits, shared by replicas on
 * PostgreSQL (rate-limiter-flexible's RateLimiterPostgres layout). Created here
 * so the server never issues DDL at run time.
 */
export class RateLimits1763820000000 implements MigrationInterface {
  name = 'RateLimits1763820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'points', type: 'integer', default: 0 },
          { name: 'expire', type: 'bigint', isNullable: true },
        ],
        // The library deletes expired counters every few minutes by `expire`.
        indices: [new TableIndex({ name: 'ix_rate_limits_expire', columnNames: ['expire'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limits');
  }
}

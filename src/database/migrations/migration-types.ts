import type { QueryRunner } from 'typeorm';

/** Migrations run on SQLite and PostgreSQL alike; only the instant type differs. */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A rate-limit counter shared by every replica on PostgreSQL. The columns are
 * the ones rate-limiter-flexible's RateLimiterPostgres reads and writes
 * (key, points, expire in epoch milliseconds), and PostgresCounterStore's batched
 * upsert with the same meaning; the table comes from a migration,
 * never from the library at run time. Unused on SQLite, where counters live in
 * the one process's memory.
 */
@Entity('rate_limits')
@Index('ix_rate_limits_expire', ['expire'])
export class RateLimitCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'integer', default: 0 })
  points!: number;

  /** Epoch milliseconds; pg returns bigint as a string. */
  @Column({ type: 'bigint', nullable: true })
  expire!: string | null;
}

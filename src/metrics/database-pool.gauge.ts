import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MetricsRegistry } from './metrics-registry.js';

/** What node-postgres's Pool says about itself. */
interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/**
 * Database connections, read from the pool at scrape time (no query). On
 * PostgreSQL: the pool's open, idle and waiting counts; SQLite has one
 * connection for the whole process.
 */
@Injectable()
export class DatabasePoolGauge {
  constructor(metrics: MetricsRegistry, @InjectDataSource() dataSource: DataSource) {
    new Gauge({
      name: 'orgsync_db_pool_connections',
      help: 'Database connections: total open, idle, and requests waiting for one (PostgreSQL pool; SQLite: total 1).',
      labelNames: ['state'],
      registers: [metrics.registry],
      collect() {
        const pool = poolOf(dataSource);
        if (!pool) {
          this.set({ state: 'total' }, dataSource.isInitialized ? 1 : 0);
          return;
        }
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}

/** TypeORM's PostgresDriver keeps its pg Pool as `master`; other drivers have none. */
function poolOf(dataSource: DataSource): PoolCounts | undefined {
  if (dataSource.options.type !== 'postgres') return undefined;
  return (dataSource.driver as unknown as { master?: PoolCounts }).master;
}

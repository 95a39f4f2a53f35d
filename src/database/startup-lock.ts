import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withAdvisoryXactLock } from './advisory-lock.js';
import { ConnectionLock } from './connection-lock.js';

/**
 * For start-up work that must happen once however many replicas start at the
 * same moment ("create it if it is missing"): the first signing key, the
 * bootstrap admin client. Checking and creating under the lock means the
 * replicas that waited find the work done, instead of racing to create
 * duplicates or failing on a unique index.
 *
 * On PostgreSQL, `run(name, work)` holds the transaction-scoped advisory lock
 * for `name` (withAdvisoryXactLock: pooler-safe, never a session lock) while
 * `work` runs with the ordinary repositories on other pooled connections. Keep
 * `work` short: every replica starting behind it waits. SQLite has one server
 * process per file, so `work` just runs.
 */
@Injectable()
export class StartupLock {
  /**
   * One holder per process at a time: each holder keeps a pooled connection for
   * its lock, and two holders at once could take a small pool's last
   * connections and leave their work none.
   */
  private readonly local = new ConnectionLock();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'postgres') return work();
    return this.local.run(() => withAdvisoryXactLock(this.dataSource, `startup:${name}`, work));
  }
}

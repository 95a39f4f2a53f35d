import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * How often the statistics are checked. PRAGMA optimize costs next to nothing
 * when no table needs analysing, and a sync can grow a table from nothing to
 * 100,000 rows in a minute: the sooner the planner knows, the sooner a list
 * page stops paying for a plan made for an empty table.
 */
export const SQLITE_OPTIMIZE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * PRAGMA optimize's mask bits (https://sqlite.org/pragma.html#pragma_optimize):
 * 0x02 picks the tables that have no statistics or whose size has changed
 * tenfold since; 0x10000 also checks tables no query of this connection has
 * used yet, as at the opening of a long-lived connection; 0x01 only lists the
 * ANALYZE statements instead of running them.
 */
const PICK_TABLES = 0x02;
const EVERY_TABLE = 0x10000;
const LIST_ONLY = 0x01;

/** What PRAGMA optimize lists: one ANALYZE per table, named by SQLite itself. */
const ANALYZE_STATEMENT = /^ANALYZE "main"\."[a-z_]+"$/;

/**
 * Keeps SQLite's planner statistics current, as SQLite asks of long-lived
 * connections: at start and then periodically, PRAGMA optimize picks the
 * tables that need ANALYZE (none, most of the time, at next to no cost).
 *
 * This runs the ANALYZE statements itself rather than letting the pragma run
 * them: the pragma re-analyzes a table with a sampling limit, which drops
 * sqlite_stat4's samples, and only with those does the planner judge each bound
 * value. An incremental read (updated_since) matching most of a large
 * organization then walks (organization_id, id) and stops at the page, while
 * one matching a few rows takes them from (organization_id, updated_at) and
 * sorts only those. Without the samples one of the two scans the organization
 * on every page. PostgreSQL needs none of this: autovacuum runs ANALYZE.
 */
@Injectable()
export class SqliteStatisticsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.analyzeWherePicked(PICK_TABLES | EVERY_TABLE);
  }

  @Interval(SQLITE_OPTIMIZE_INTERVAL_MS)
  async refresh(): Promise<void> {
    await this.analyzeWherePicked(PICK_TABLES);
  }

  private async analyzeWherePicked(mask: number): Promise<void> {
    if (this.dataSource.options.type !== 'better-sqlite3') return;
    try {
      const picked = (await this.dataSource.query(`PRAGMA optimize=${mask | LIST_ONLY}`)) as Array<{ optimize: string }>;
      const statements = picked.map((row) => row.optimize).filter((statement) => ANALYZE_STATEMENT.test(statement));
      if (statements.length === 0) return;
      // One commit for all of them: at start on a new database that is every table, and a commit each took 20 times as long.
      await this.dataSource.transaction(async (manager) => {
        for (const statement of statements) await manager.query(statement);
      });
    } catch (error) {
      // Statistics only steer the planner; the next pass tries again.
      this.logger.warn(`Refreshing SQLite statistics failed: ${(error as Error).message}`);
    }
  }
}

import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SqliteStatisticsScheduler } from './sqlite-statistics.scheduler.js';

describe('SqliteStatisticsScheduler', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE items (id INTEGER PRIMARY KEY, organization_id TEXT, name TEXT)');
    await dataSource.query('CREATE INDEX ix_items_organization_name ON items (organization_id, name, id)');
    await dataSource.query(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO items (organization_id, name) SELECT 'org-' || (i % 5), 'name-' || i FROM n",
    );
  });
  afterEach(() => dataSource.destroy());

  const statistics = async () => (await dataSource.query('SELECT tbl, idx FROM sqlite_stat1')) as Array<{ tbl: string; idx: string }>;
  /** The row count ANALYZE last recorded for the index. */
  const rowsAnalyzed = async () => {
    const rows = (await dataSource.query("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_items_organization_name'")) as Array<{
      stat: string;
    }>;
    return Number(rows[0]?.stat.split(' ')[0]);
  };
  const samples = async () => ((await dataSource.query('SELECT count(*) AS n FROM sqlite_stat4')) as Array<{ n: number }>)[0]!.n;

  it('gives the planner statistics of tables that had none when the application starts', async () => {
    expect(await dataSource.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).toEqual([]);

    await new SqliteStatisticsScheduler(dataSource).onApplicationBootstrap();

    expect(await statistics()).toContainEqual({ tbl: 'items', idx: 'ix_items_organization_name' });
  });

  it('collects the samples with which the planner judges a range (sqlite_stat4), once the table has grown tenfold', async () => {
    const scheduler = new SqliteStatisticsScheduler(dataSource);
    await dataSource.query('DELETE FROM items WHERE id > 10');
    await scheduler.onApplicationBootstrap();
    await dataSource.query(
      "WITH RECURSIVE n(i) AS (SELECT 11 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO items (organization_id, name) SELECT 'org-' || (i % 5), 'name-' || i FROM n",
    );
    await dataSource.query("SELECT id FROM items WHERE organization_id = 'org-1' AND name > 'name-4' ORDER BY id LIMIT 5");

    await scheduler.refresh();

    expect(await rowsAnalyzed()).toBe(500);
    expect(await samples()).toBeGreaterThan(0);
  });

  it('does nothing on PostgreSQL, where autovacuum keeps the statistics', async () => {
    const query = jest.fn();
    const postgres = { options: { type: 'postgres' }, query } as unknown as DataSource;

    await new SqliteStatisticsScheduler(postgres).onApplicationBootstrap();
    await new SqliteStatisticsScheduler(postgres).refresh();

    expect(query).not.toHaveBeenCalled();
  });
});

import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { currentFrame } from '../../common/async-context.js';
import { TurnBatch } from '../../common/turn-batch.js';
import { rowHydrator } from './row-query.js';
import { SqliteDirectRead } from './sqlite-direct-read.js';

/** Records per statement: the parameters stay small whatever the load. */
const KEYS_PER_STATEMENT = 500;

/**
 * The reads of one organization's record by id (GET /members/:id and
 * /groups/:id) for all the requests of one event-loop turn, with one
 * statement. On PostgreSQL each read was a round trip of its own, and the
 * socket writes and protocol parsing of those round trips were the largest
 * part of a read's CPU; on SQLite a statement per read cost less, but a
 * turn's reads together still cost less than one by one (docs/benchmarks.md,
 * measured with the requests in flight reading different members).
 *
 * Isolation: a read is answered only by the row whose organization and id
 * are both its own. The statement selects exact (organization_id, id) pairs,
 * and the rows are matched back on both.
 *
 * Freshness: as a statement per read (TurnBatch). Only reads outside any
 * transaction are batched (`serves`): a transaction's own reads must see its
 * writes, and on SQLite a read from inside the connection lock's hold must not
 * wait for a batch that waits for that lock.
 */
export class BatchedRowReads<T extends ObjectLiteral> {
  /** The statement, in the driver's placeholder syntax: one parameter on SQLite, two on PostgreSQL. */
  readonly sql: string;
  private readonly batch: TurnBatch<T>;
  private readonly direct: SqliteDirectRead;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
    /** A condition on columns, by database name, e.g. `deleted_at IS NULL`; never a value. */
    condition: string,
  ) {
    const hydrate = rowHydrator(dataSource, target);
    const metadata = dataSource.getMetadata(target);
    const escape = (name: string) => dataSource.driver.escape(name);
    const sqlite = dataSource.options.type === 'better-sqlite3';
    // Both databases take the pairs as one value each, so the statement text is the same for any batch size.
    const pairs = sqlite ? 'SELECT value ->> 0, value ->> 1 FROM json_each(?)' : 'SELECT * FROM unnest($1::varchar[], $2::varchar[])';
    this.sql =
      `SELECT ${metadata.columns.map((column) => escape(column.databaseName)).join(', ')} FROM ${escape(metadata.tableName)} ` +
      `WHERE (organization_id, id) IN (${pairs}) AND ${condition}`;
    this.direct = new SqliteDirectRead(dataSource, this.sql);
    this.batch = new TurnBatch(async (keys) => {
      const parameters = sqlite ? [`[${keys.join(',')}]`] : columnsOf(keys);
      const rows =
        this.direct.allRows(dataSource.manager, parameters) ??
        ((await dataSource.query(this.sql, parameters)) as Record<string, unknown>[]);
      return new Map(rows.map((row) => [keyOf(String(row.organization_id), String(row.id)), hydrate(row)]));
    }, KEYS_PER_STATEMENT);
  }

  /** True when a read through `manager`, from the code running now, may join a batch. */
  serves(manager: EntityManager): boolean {
    return manager === this.dataSource.manager && currentFrame()?.lockHold === undefined;
  }

  async first(organizationId: string, id: string): Promise<T | null> {
    return (await this.batch.get(keyOf(organizationId, id))) ?? null;
  }
}

/** The pair as a JSON array: unambiguous whatever the IDs hold, and SQLite's json_each reads the batch's keys as they are. */
function keyOf(organizationId: string, id: string): string {
  return JSON.stringify([organizationId, id]);
}

/** PostgreSQL's two arrays, organization IDs and record IDs, in the same order. */
function columnsOf(keys: readonly string[]): [string[], string[]] {
  const pairs = keys.map((key) => JSON.parse(key) as [string, string]);
  return [pairs.map(([organizationId]) => organizationId), pairs.map(([, id]) => id)];
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

/** A database a group of rows runs on: a SQLite file in the run's directory, or a fresh PostgreSQL database. */
export interface BenchDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** "SQLite" or "PostgreSQL", as rows name it. */
  readonly label: string;
  /** DATABASE_URL for orgsync and the seeder. */
  readonly url: string;
  drop(): Promise<void>;
}

export function sqliteDatabase(dir: string, name = 'orgsync'): BenchDatabase {
  // The file lives in the run's temporary directory, which the harness removes.
  return { kind: 'sqlite', label: 'SQLite', url: `sqlite:${join(dir, `${name}.sqlite`)}`, drop: () => Promise.resolve() };
}

/**
 * A fresh database on the server `adminUrl` points at, created for this run
 * and dropped after it (with FORCE: a killed orgsync may leave connections).
 */
export async function freshPostgresDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `orgsync_bench_${randomBytes(6).toString('hex')}`;
  await onServer(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    label: 'PostgreSQL',
    url: url.toString(),
    drop: () => onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  /** A DATABASE_URL for this test file alone. */
  readonly url: string;
  /** A directory for the server's own files (the secrets key, the SQLite file). */
  readonly dataDir: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for each test file, so files run in parallel: a SQLite
 * file in a temporary directory, or, when TEST_DATABASE_URL points at
 * PostgreSQL, a fresh database created on that server and dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'orgsync-test-'));
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    return { url: `sqlite:${join(dataDir, 'orgsync.sqlite')}`, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `orgsync_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

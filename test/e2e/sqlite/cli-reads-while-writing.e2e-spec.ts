import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type CliHarness, createCliHarness } from '../../cli/cli-harness.js';

/** The little of better-sqlite3 this test uses (the package ships no types). */
interface WriterDatabase {
  exec(sql: string): void;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => WriterDatabase;

/**
 * A CLI command that only reads must not wait for SQLite's write lock: a
 * running server holds it through each transaction (a sync page's, say), and
 * better-sqlite3 waits for it synchronously, so a command that wrote at start-up
 * stalled behind the server and, past the busy timeout, failed with "database
 * is locked".
 */
describe('the CLI on SQLite while another connection holds the write lock', () => {
  let cli: CliHarness;

  beforeAll(async () => {
    cli = await createCliHarness();
    await cli.json('orgs', 'create', '--name', 'Readable Org');
  });
  afterAll(() => cli.drop());

  it('still lists organizations', async () => {
    const writer = new Database(join(cli.database.dataDir, 'orgsync.sqlite'));
    writer.exec('BEGIN IMMEDIATE');
    try {
      const result = await cli.run('--json', 'orgs', 'list');
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect((JSON.parse(result.stdout) as { data: { name: string }[] }).data.map((org) => org.name)).toContain('Readable Org');
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  }, 30_000);
});

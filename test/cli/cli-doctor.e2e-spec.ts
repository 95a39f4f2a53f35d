import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runCli } from '../../src/cli/run-cli.js';
import { databaseKindOfProcess } from '../../src/config/app-config.js';
import type { CheckResult } from '../../src/cli/doctor/doctor-check.js';
import { freePort, type TestApp } from '../support/test-app.js';
import { type CliHarness, type CliResult, createCliHarness, runOrgsync } from './cli-harness.js';

/** `orgsync doctor` run from `cwd`, as an operator in that directory would. */
async function doctorIn(cwd: string, env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    [...args, 'doctor'],
    env,
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
    { cwd },
  );
  return { code, stdout, stderr };
}

const checksOf = (result: CliResult) => (JSON.parse(result.stdout) as { data: CheckResult[] }).data;
const statusOf = (checks: CheckResult[], name: string) => checks.find((check) => check.check === name);

describe('orgsync doctor', () => {
  describe('on a fresh install: an empty directory, no SECRETS_KEY, no database yet', () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'orgsync-fresh-'))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('passes, says what the first start will do, and writes nothing', async () => {
      const result = await doctorIn(dir, {});
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^CHECK\s+STATUS\s+DETAIL$/);
      expect(result.stdout).toMatch(/^configuration\s+ok\s+valid \(NODE_ENV=development\)$/m);
      expect(result.stdout).toMatch(
        new RegExp(
          `^secrets key\\s+ok\\s+SECRETS_KEY is not set: the first start generates a key at ${join(dir, 'data', 'secrets.key')}`,
          'm',
        ),
      );
      expect(result.stdout).toMatch(/^data directory\s+ok\s+.*does not exist yet; the first start creates it$/m);
      expect(result.stdout).toMatch(/^database\s+ok\s+SQLite .*orgsync\.sqlite does not exist yet/m);
      expect(result.stdout).toMatch(/^migrations\s+ok\s+a new database: the first start applies all \d+ migrations$/m);
      expect(result.stdout).toMatch(/^signing key\s+warn\s+none yet: created at the first server start$/m);
      expect(result.stdout).toMatch(/^bootstrap admin\s+ok\s+not configured/m);
      expect(await readdir(dir)).toEqual([]);
    });

    it('warns, without failing, that production needs SECRETS_KEY set', async () => {
      const result = await doctorIn(dir, { NODE_ENV: 'production', ISSUER: 'https://auth.example.com' }, '--json');
      expect(result.code).toBe(0);
      const checks = checksOf(result);
      expect(statusOf(checks, 'secrets key')).toMatchObject({ status: 'warn', detail: expect.stringContaining('set SECRETS_KEY') });
      expect(statusOf(checks, 'issuer')).toEqual({ check: 'issuer', status: 'ok', detail: 'https://auth.example.com' });
    });

    // Entity column types follow the process's database kind (database/column-types.ts): a SQLite install is written only by a SQLite run.
    if (databaseKindOfProcess() === 'sqlite')
      it('passes again once a command has created the database and the key, now checking them', async () => {
        const silent = { write: () => true };
        expect(await runCli(['orgs', 'list'], {}, { stdout: silent, stderr: silent }, { cwd: dir })).toBe(0);
        const checks = checksOf(await doctorIn(dir, {}, '--json'));
        expect(checks.filter((check) => check.status === 'fail')).toEqual([]);
        expect(statusOf(checks, 'secrets key')?.detail).toContain(`using the generated key ${join(dir, 'data', 'secrets.key')}`);
        expect(statusOf(checks, 'migrations')?.detail).toMatch(/^all \d+ applied$/);
        expect(statusOf(checks, 'secrets key fingerprint')).toMatchObject({ status: 'ok', detail: 'SECRETS_KEY matches the database' });
      });
  });

  describe('on a database in use', () => {
    let cli: CliHarness;
    let t: TestApp;

    beforeAll(async () => {
      cli = await createCliHarness();
      t = await cli.startApp();
    });
    afterAll(async () => {
      await t.close();
      await cli.drop();
    });

    it('passes with every check ok, and prints JSON for scripts', async () => {
      const text = await runOrgsync(['doctor'], cli.env);
      expect(text.code).toBe(0);
      const checks = checksOf(await runOrgsync(['--json', 'doctor'], cli.env));
      expect(checks.map((check) => check.check)).toEqual([
        'configuration',
        'issuer',
        'secrets key',
        ...(cli.env.DATABASE_URL.startsWith('sqlite:') ? ['data directory'] : []),
        'database',
        'migrations',
        'secrets key fingerprint',
        'signing key',
        'clock',
        'bootstrap admin',
      ]);
      expect(checks.filter((check) => check.status !== 'ok')).toEqual([]);
      expect(statusOf(checks, 'signing key')?.detail).toMatch(/\(ES256\), created .*, decrypts with this SECRETS_KEY$/);
      expect(statusOf(checks, 'clock')?.detail).toMatch(
        /SQLite uses this machine's clock|this machine is \d+\.\d s (behind|ahead of) the database/,
      );
    });

    it('fails naming SECRETS_KEY when it is not the key the database was set up with', async () => {
      const result = await runOrgsync(['doctor'], { ...cli.env, SECRETS_KEY: randomBytes(32).toString('hex') });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^secrets key fingerprint\s+fail\s+SECRETS_KEY is not the key this database was set up with/m);
      expect(result.stdout).toMatch(/^signing key\s+warn\s+not checked: no usable secrets key$/m);
    });

    it('fails naming the migrations the database lacks, and applies none of them', async () => {
      const dataSource = t.app.get(DataSource);
      const [last] = (await dataSource.query('SELECT name FROM migrations ORDER BY timestamp DESC')) as Array<{ name: string }>;
      await dataSource.query(`DELETE FROM migrations WHERE name = '${last!.name}'`);
      try {
        const checks = checksOf(await runOrgsync(['--json', 'doctor'], cli.env));
        expect(statusOf(checks, 'migrations')).toEqual({
          check: 'migrations',
          status: 'fail',
          detail: `pending: ${last!.name}; a server start (or any other orgsync command) applies them`,
        });
        expect(await dataSource.query(`SELECT name FROM migrations WHERE name = '${last!.name}'`)).toEqual([]);
      } finally {
        await dataSource.query(`INSERT INTO migrations (timestamp, name) VALUES (${last!.name.slice(-13)}, '${last!.name}')`);
      }
    });

    it('fails naming the migrations of a newer orgsync, which the server and the CLI refuse to start on', async () => {
      const dataSource = t.app.get(DataSource);
      await dataSource.query(`INSERT INTO migrations (timestamp, name) VALUES (4102444800000, 'FromTheFuture4102444800000')`);
      try {
        const result = await runOrgsync(['--json', 'doctor'], cli.env);
        expect(result.code).toBe(1);
        expect(statusOf(checksOf(result), 'migrations')).toEqual({
          check: 'migrations',
          status: 'fail',
          detail:
            'the database schema is newer than this orgsync (FromTheFuture4102444800000); run that newer version, or restore a backup from before the upgrade',
        });
      } finally {
        await dataSource.query(`DELETE FROM migrations WHERE name = 'FromTheFuture4102444800000'`);
      }
    });
  });

  it('fails with a clear message, never the password, when PostgreSQL is unreachable', async () => {
    const port = await freePort();
    const url = `postgres://orgsync:hunter2-secret@127.0.0.1:${port}/orgsync`;
    const result = await runOrgsync(['doctor'], { DATABASE_URL: url, SECRETS_KEY: randomBytes(32).toString('hex'), NODE_ENV: 'test' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^database\\s+fail\\s+cannot connect to PostgreSQL postgres://orgsync:\\*\\*\\*@127\\.0\\.0\\.1:${port}/orgsync: .*ECONNREFUSED`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^migrations\s+warn\s+not checked: the database is unreachable$/m);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it.each([
    ['an unknown SIGNING_ALG', { SIGNING_ALG: 'HS256' }, 'SIGNING_ALG'],
    ['a short SECRETS_KEY', { SECRETS_KEY: 'too-short' }, 'SECRETS_KEY must be 32 bytes'],
    ['an http ISSUER in production', { NODE_ENV: 'production', ISSUER: 'http://auth.example.com' }, 'ISSUER must be an https:// URL'],
  ])('fails on %s, naming the variable, instead of crashing', async (_case, env, message) => {
    const result = await runOrgsync(['--json', 'doctor'], { NODE_ENV: 'test', DATABASE_URL: 'sqlite:/nonexistent/x.sqlite', ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(checksOf(result)).toEqual([{ check: 'configuration', status: 'fail', detail: expect.stringContaining(message) }]);
  });
});

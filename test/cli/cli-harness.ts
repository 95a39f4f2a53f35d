import { randomBytes } from 'node:crypto';
import { runCli } from '../../src/cli/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A database shared by CLI runs and by servers started on it, all with one SECRETS_KEY. */
export interface CliHarness {
  readonly database: TestDatabase;
  /** The environment every CLI run gets: the database and the secrets key, as an operator would export them. */
  readonly env: Record<string, string>;
  /** Runs `orgsync <args>` in this process. */
  run(...args: string[]): Promise<CliResult>;
  /** Runs `orgsync --json <args>`, expects success, and parses stdout. */
  json<T>(...args: string[]): Promise<T>;
  /** Starts the HTTP server on the same database (with `env` added); the caller closes it. */
  startApp(env?: Record<string, string>): Promise<TestApp>;
  drop(): Promise<void>;
}

export async function createCliHarness(): Promise<CliHarness> {
  const database = await createTestDatabase();
  const secretsKey = randomBytes(32).toString('hex');
  const env = { DATABASE_URL: database.url, SECRETS_KEY: secretsKey, NODE_ENV: 'test' };
  const run = (...args: string[]) => runOrgsync(args, env);
  return {
    database,
    env,
    run,
    json: async <T>(...args: string[]) => {
      const result = await run('--json', ...args);
      if (result.code !== 0) throw new Error(`orgsync ${args.join(' ')} failed with ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    startApp: (extra = {}) => startTestApp({ ...extra, SECRETS_KEY: secretsKey }, database),
    drop: () => database.drop(),
  };
}

export async function runOrgsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, env, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** The value of one `key  value` line of the CLI's text output. */
export function textField(output: string, key: string): string {
  const line = output.split('\n').find((candidate) => candidate.startsWith(`${key} `));
  if (line === undefined) throw new Error(`no ${key} line in:\n${output}`);
  return line.slice(key.length).trim();
}

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OrgsyncProcess {
  readonly url: string;
  /** The server's process ID (the benchmark reads its peak memory from /proc). */
  readonly pid: number | undefined;
  readonly adminClientId: string;
  readonly adminClientSecret: string;
  /** Milliseconds from spawning the process to the first 200 from the readiness path. */
  readonly readyAfterMs: number;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface OrgsyncProcessOptions {
  /**
   * Where the server's stdout and stderr go. By default they are piped into
   * memory; a file keeps a long, busy run (request logs) out of this process.
   */
  readonly logFile?: string;
  /** The path polled until it answers 200; default the authorization server metadata. */
  readonly readyPath?: string;
  /** How often it is polled, in milliseconds; default 200. */
  readonly pollMs?: number;
  /** Node options before the script, such as --cpu-prof (which NODE_OPTIONS may not carry). */
  readonly nodeArgs?: readonly string[];
  /** The server file to run; default the bundle (dist/server/main.js). */
  readonly main?: string;
}

/** dist/examples/demo/orgsync-process.js → dist/server/main.js, the bundled server `npm run start:prod` runs. */
const ORGSYNC_MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));

/**
 * Starts the built orgsync server as a child process on a free port, with a
 * SQLite file in `dataDir`, a generated bootstrap admin, and the sync
 * scheduler polling often, then waits until it answers. `env` comes last, so
 * it may override anything (NODE_ENV, DATABASE_URL, the admin, SECRETS_KEY).
 */
export async function startOrgsync(
  dataDir: string,
  env: Record<string, string> = {},
  options: OrgsyncProcessOptions = {},
): Promise<OrgsyncProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // A restart on an existing database passes the same admin (and SECRETS_KEY) in `env`.
  const adminClientId = env.BOOTSTRAP_ADMIN_CLIENT_ID ?? 'demo-platform-admin';
  const adminClientSecret = env.BOOTSTRAP_ADMIN_CLIENT_SECRET ?? randomBytes(32).toString('hex');
  const logFd = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main ?? ORGSYNC_MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      ISSUER: url,
      DATABASE_URL: `sqlite:${join(dataDir, 'orgsync.sqlite')}`,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      BOOTSTRAP_ADMIN_CLIENT_ID: adminClientId,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: adminClientSecret,
      SYNC_ENABLED: 'true',
      SYNC_POLL_INTERVAL_MS: '500',
      ...env,
    },
    stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
  });
  // The child holds its own copy of the descriptor.
  if (logFd !== undefined) closeSync(logFd);
  let piped = '';
  child.stdout?.on('data', (chunk: Buffer) => (piped += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (piped += chunk.toString()));
  const output = (): string => (options.logFile === undefined ? piped : readFileSync(options.logFile, 'utf8'));
  const stop = (): Promise<void> => stopChild(child);
  let readyAfterMs: number;
  try {
    await waitUntilReady(`${url}${options.readyPath ?? '/.well-known/oauth-authorization-server'}`, child, options.pollMs ?? 200);
    readyAfterMs = performance.now() - spawnedAt;
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\norgsync's output:\n${output().slice(-20_000)}`, {
      cause: error,
    });
  }
  return { url, pid: child.pid, adminClientId, adminClientSecret, readyAfterMs, output, stop };
}

async function waitUntilReady(url: string, child: ChildProcess, pollMs: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`orgsync exited with code ${child.exitCode} before it was ready.`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error('orgsync did not answer within 60 seconds.');
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

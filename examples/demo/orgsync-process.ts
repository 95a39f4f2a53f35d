import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OrgsyncProcess {
  readonly url: string;
  /** The server's process ID (the benchmark reads its peak memory from /proc). */
  readonly pid: number | undefined;
  readonly adminClientId: string;
  readonly adminClientSecret: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** dist/examples/demo/orgsync-process.js → dist/src/main.js */
const ORGSYNC_MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/**
 * Starts the built orgsync server as a child process on a free port, with a
 * SQLite file in `dataDir`, a generated bootstrap admin, and the sync
 * scheduler polling often, then waits until it answers.
 */
export async function startOrgsync(dataDir: string, env: Record<string, string> = {}): Promise<OrgsyncProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminClientId = 'demo-platform-admin';
  const adminClientSecret = randomBytes(32).toString('hex');
  const child = spawn(process.execPath, [ORGSYNC_MAIN], {
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
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const orgsync = { url, pid: child.pid, adminClientId, adminClientSecret, output: () => output, stop: () => stopChild(child) };
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    await orgsync.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\norgsync's output:\n${output}`, { cause: error });
  }
  return orgsync;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`orgsync exited with code ${child.exitCode} before it was ready.`);
    try {
      const response = await fetch(`${url}/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('orgsync did not answer within 60 seconds.');
}

function stopChild(child: ChildProcess): Promise<void> {
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, freePort } from './test-app.js';
import type { TestDatabase } from './test-database.js';

/**
 * orgsync compiled into a directory of its own, runnable with node: tsc with
 * the project's compiler options, from src/main.ts and what it imports (so
 * nothing else in the tree has to compile).
 */
export async function compileOrgsync(): Promise<{ main: string; remove(): Promise<void> }> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-build-'));
  const outDir = join(dir, 'out');
  const tsconfig = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: {
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
      rootDir: root,
      outDir,
      incremental: false,
      sourceMap: false,
    },
    files: [join(root, 'src', 'main.ts')],
    include: [],
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch(async (error: { stdout?: string }) => {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Compiling orgsync failed:\n${error.stdout ?? String(error)}`);
  });
  // ES modules (package.json "type") that resolve their dependencies from the project.
  await writeFile(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return { main: join(outDir, 'src', 'main.js'), remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface OrgsyncChild {
  readonly url: string;
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  http(): ReturnType<typeof request>;
  /** Resolves with how the process ended, once it has. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts compiled orgsync as a child process on `database` and waits until it
 * answers. `env` comes last, so it may override anything, DATABASE_URL included.
 */
export async function startOrgsyncChild(main: string, database: TestDatabase, env: Record<string, string>): Promise<OrgsyncChild> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      ISSUER: url,
      DATABASE_URL: database.url,
      BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN_CLIENT_ID,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: ADMIN_CLIENT_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`orgsync exited with code ${child.exitCode}`);
      if ((await fetch(`${url}/.well-known/oauth-authorization-server`).catch(() => undefined))?.ok) break;
      if (Date.now() > deadline) throw new Error('Gave up waiting for orgsync (child process) to answer.');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n\norgsync's output:\n${output}`, { cause: error });
  }
  return { url, child, output: () => output, http: () => request(url), exited: () => exit };
}

/** Kills the child outright (no shutdown hook runs) unless it has ended already. */
export function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

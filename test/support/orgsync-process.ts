import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, freePort } from './test-app.js';
import { bundleCompiledServer } from './server-bundle.js';
import type { TestDatabase } from './test-database.js';

/** Where compiled builds are kept between test files (and runs): one per state of the sources. */
const BUILD_CACHE = fileURLToPath(new URL('../../node_modules/.cache/orgsync-test-build/', import.meta.url));
/** A lock older than this was left by a test process that died while compiling. */
const STALE_LOCK_MS = 5 * 60_000;
/** Builds of other source states are deleted once this old (a test run still using one has long finished). */
const OLD_BUILD_MS = 60 * 60_000;

/**
 * orgsync compiled once for every test file that runs it as a child process:
 * tsc with the project's compiler options, from src/main.ts and what it imports
 * (so nothing else in the tree has to compile), then bundled as `npm run build`
 * bundles it. The build is keyed by a digest
 * of the sources, so an edit makes a new one; test files running in parallel
 * wait for the one compiling instead of each compiling its own.
 */
export async function compileOrgsync(): Promise<{ main: string; remove(): Promise<void> }> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = join(BUILD_CACHE, await sourceDigest(root));
  // The bundle `npm start` runs (scripts/bundle-server.mjs), made from the tsc output.
  const main = join(dir, 'out', 'server', 'main.js');
  // The cached build outlives the test file: there is nothing for it to remove.
  const build = { main, remove: () => Promise.resolve() };
  for (const deadline = Date.now() + 2 * STALE_LOCK_MS; Date.now() < deadline;) {
    if (await exists(join(dir, 'complete'))) return build;
    if (await takeLock(`${dir}.lock`)) {
      try {
        await compileInto(root, dir);
        await writeFile(join(dir, 'complete'), '');
        await pruneOtherBuilds(dir);
        return build;
      } finally {
        await rm(`${dir}.lock`, { recursive: true, force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Gave up waiting for another test process to compile orgsync into ${dir}.`);
}

async function compileInto(root: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
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
  await bundleCompiledServer(root, outDir).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
}

/** A digest of everything the build depends on: the sources, the compiler options and the dependencies' versions. */
async function sourceDigest(root: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(join(root, 'src'), { recursive: true }))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(root, 'src', name));
  const buildFiles = ['tsconfig.json', 'package-lock.json', join('scripts', 'bundle-server.mjs')].map((name) => join(root, name));
  for (const file of [...buildFiles, ...files]) {
    hash
      .update(file)
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** mkdir is atomic: exactly one process creates the directory. A stale lock is broken. */
async function takeLock(lock: string): Promise<boolean> {
  await mkdir(dirname(lock), { recursive: true });
  try {
    await mkdir(lock);
    return true;
  } catch {
    const age = await stat(lock).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
    return false;
  }
}

/** Builds of earlier states of the sources, no longer used by anything running. */
async function pruneOtherBuilds(current: string): Promise<void> {
  for (const name of await readdir(BUILD_CACHE)) {
    const path = join(BUILD_CACHE, name);
    if (path === current || name.endsWith('.lock')) continue;
    const age = await stat(path).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > OLD_BUILD_MS) await rm(path, { recursive: true, force: true });
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
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

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { freePort, stopChild } from '../../examples/demo/orgsync-process.js';

/** A server the harness started as its own process (so its CPU and memory are its own). */
export interface ChildServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  readonly name: string;
  /** The compiled script to run with this Node. */
  readonly script: string;
  /** Added to PATH, NODE_ENV=production, HOST, PORT and ISSUER (the server's own URL). */
  readonly env?: Record<string, string>;
  /** The path that answers 200 once the server is up. */
  readonly readyPath: string;
  readonly readyMethod?: string;
  /** stdout and stderr go here, never into a pipe this process must drain under load. */
  readonly logFile: string;
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, [options.script], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ISSUER: url, ...options.env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const server = { name: options.name, url, pid: child.pid!, stop: () => stopChild(child) };
  try {
    await waitForStatus(`${url}${options.readyPath}`, child, options.readyMethod ?? 'GET');
  } catch (error) {
    await server.stop();
    const output = readFileSync(options.logFile, 'utf8').slice(-5_000);
    throw new Error(`${options.name}: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return server;
}

async function waitForStatus(url: string, child: ChildProcess, method: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before it answered.`);
    const status = await fetch(url, { method, signal: AbortSignal.timeout(1_000) }).then(
      async (response) => (await response.arrayBuffer(), response.status),
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`did not answer 200 at ${url} within 30 seconds.`);
}

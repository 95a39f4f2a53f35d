import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { UpstreamEndpoint } from '../scenarios/sync-driver.js';
import { stopChild } from './child-server.js';

const SOAK_UPSTREAM = fileURLToPath(new URL('./soak-upstream-server.js', import.meta.url));

export interface SoakUpstream extends UpstreamEndpoint {
  stop(): Promise<void>;
}

/** Starts soak-upstream-server.js and waits for the line that says where it listens. */
export async function startSoakUpstream(users: number, logFile: string): Promise<SoakUpstream> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [SOAK_UPSTREAM], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', SOAK_USERS: String(users) },
    stdio: ['ignore', 'pipe', log],
  });
  closeSync(log);
  const stop = (): Promise<void> => stopChild(child);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error('The soak upstream did not start within 60 seconds.')), 60_000);
      child.once('exit', (code) => reject(new Error(`The soak upstream exited with code ${code}; see ${logFile}.`)));
      createInterface({ input: child.stdout! }).once('line', (first) => {
        clearTimeout(timeout);
        resolve(first);
      });
    });
    return { ...(JSON.parse(line) as UpstreamEndpoint), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

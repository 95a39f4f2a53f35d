import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { UpstreamEndpoint } from '../scenarios/sync-driver.js';
import { stopChild } from '../../examples/demo/orgsync-process.js';

const SOAK_UPSTREAM = fileURLToPath(new URL('./soak-upstream-server.js', import.meta.url));

export interface SoakUpstream extends UpstreamEndpoint {
  /** Changes the first 1 % of the upstream's users; resolves with how many. */
  changeFirstPercent(): Promise<number>;
  stop(): Promise<void>;
}

export interface SoakUpstreamOptions {
  /** Default: one per hundred users. */
  readonly groups?: number;
  /** How often the upstream changes 1 % of its users by itself; default a minute, 0 never. */
  readonly changeEveryMs?: number;
  /** Make the newest user an hour old, the rest two hours (see soak-upstream-server.ts). */
  readonly watermarkAnchor?: boolean;
}

/** Starts soak-upstream-server.js (its own process) and waits for the line that says where it listens. */
export async function startSoakUpstream(users: number, logFile: string, options: SoakUpstreamOptions = {}): Promise<SoakUpstream> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [SOAK_UPSTREAM], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      SOAK_USERS: String(users),
      ...(options.groups !== undefined && { SOAK_GROUPS: String(options.groups) }),
      ...(options.changeEveryMs !== undefined && { SOAK_CHANGE_EVERY_MS: String(options.changeEveryMs) }),
      ...(options.watermarkAnchor && { UPSTREAM_WATERMARK_ANCHOR: '1' }),
    },
    stdio: ['pipe', 'pipe', log],
  });
  closeSync(log);
  const stop = (): Promise<void> => stopChild(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (what: string): Promise<string> => {
    const next = await lines.next();
    if (next.done) throw new Error(`The soak upstream exited before ${what}; see ${logFile}.`);
    return next.value;
  };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error('The soak upstream did not start within 60 seconds.')), 60_000);
      child.once('exit', (code) => reject(new Error(`The soak upstream exited with code ${code}; see ${logFile}.`)));
      nextLine('it listened').then((first) => {
        clearTimeout(timeout);
        resolve(first);
      }, reject);
    });
    const changeFirstPercent = async (): Promise<number> => {
      child.stdin!.write('change-first-percent\n');
      return (JSON.parse(await nextLine('it answered')) as { changed: number }).changed;
    };
    return { ...(JSON.parse(line) as UpstreamEndpoint), changeFirstPercent, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

import type { Server } from 'node:http';
import type { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SyncScheduler } from '../sync/engine/sync.scheduler.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Bounds a signalled shutdown. Nest runs the shutdown itself (drain HTTP,
 * stop the scheduler, flush the audit log, close the pool) and exits 0; if
 * that takes longer than `graceSeconds`, this says what was still running and
 * exits 1, before an orchestrator's SIGKILL would cut the process off mid-write
 * without a word. The timer is unref'd: it never keeps a finished process alive.
 */
export function bindShutdownDeadline(app: NestFastifyApplication, graceSeconds: number, logger: Logger): void {
  let armed = false;
  const arm = (signal: NodeJS.Signals) => {
    if (armed) return;
    armed = true;
    logger.log(`${signal} received: draining, for at most ${graceSeconds} s.`);
    setTimeout(() => void overran(app, graceSeconds, logger), graceSeconds * 1000).unref();
  };
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, arm);
}

async function overran(app: NestFastifyApplication, graceSeconds: number, logger: Logger): Promise<void> {
  try {
    logger.error(`Shutdown did not finish within ${graceSeconds} s; still running: ${await stillRunning(app)}. Exiting with status 1.`);
  } finally {
    process.exit(1);
  }
}

/** Open HTTP connections, sync runs under way, and what else keeps the event loop busy. */
async function stillRunning(app: NestFastifyApplication): Promise<string> {
  const server = app.getHttpServer() as Server;
  const connections = await new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
  const runs = app.get(SyncScheduler, { strict: false }).runningRunIds();
  const resources = new Map<string, number>();
  for (const resource of process.getActiveResourcesInfo()) resources.set(resource, (resources.get(resource) ?? 0) + 1);
  return [
    `${connections} HTTP connection(s)`,
    runs.length > 0 ? `sync run(s) ${runs.join(', ')}` : 'no sync run',
    `event loop: ${[...resources].map(([resource, count]) => `${count} ${resource}`).join(', ') || 'nothing'}`,
  ].join('; ');
}

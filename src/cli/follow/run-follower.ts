import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncRunResponse } from '../../sync/runs/dto/sync-run.response.js';
import type { CliSettings } from '../cli-session.js';
import type { ProgressDisplay } from './progress-display.js';
import { isFinished, progressOf, RateMeter } from './run-progress.js';

export interface FollowOutcome {
  /** The last look at the run: finished, unless following was interrupted. */
  readonly run: SyncRunResponse;
  readonly interrupted: boolean;
}

export const NO_WORKER_MESSAGE =
  'The run is still queued: waiting for a worker. Is an orgsync server running with SYNC_ENABLED=true against this database?';

/**
 * Reads the run row until the run has finished. The CLI has no scheduler:
 * progress is what the worker (a server process) commits after every page.
 * Ctrl-C stops the following only; the run goes on.
 */
export async function followRun(
  read: () => Promise<SyncRunResponse>,
  display: ProgressDisplay,
  settings: Pick<CliSettings, 'follow' | 'interrupts'>,
): Promise<FollowOutcome> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  settings.interrupts.on('SIGINT', onInterrupt);
  const startedAt = Date.now();
  const rate = new RateMeter();
  let warnedNoWorker = false;
  try {
    for (;;) {
      const run = await read();
      const now = Date.now();
      const progress = progressOf(run);
      if (isFinished(run)) return { run, interrupted: false };
      display.update(progress, rate.observe(progress, now), now);
      if (run.status === 'queued' && !warnedNoWorker && now - startedAt >= settings.follow.workerWaitMs) {
        warnedNoWorker = true;
        display.message(NO_WORKER_MESSAGE);
      }
      try {
        await sleep(settings.follow.pollMs, undefined, { signal: stop.signal });
      } catch {
        return { run, interrupted: true };
      }
    }
  } finally {
    settings.interrupts.off('SIGINT', onInterrupt);
    display.end();
  }
}

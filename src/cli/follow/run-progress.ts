import type { SyncRunResponse } from '../../sync/runs/dto/sync-run.response.js';

/** What a look at the run row says about its progress. */
export interface RunProgress {
  readonly status: string;
  readonly mode: string | null;
  readonly pages: number;
  /** Records read from the upstream, members and groups. */
  readonly fetched: number;
  /** Records created, updated or deleted (unchanged ones are read, not written). */
  readonly written: number;
}

export function progressOf(run: SyncRunResponse): RunProgress {
  const { members, groups } = run.stats;
  return {
    status: run.status,
    mode: run.mode,
    pages: run.pages,
    fetched: members.fetched + groups.fetched,
    written: members.created + members.updated + members.deleted + groups.created + groups.updated + groups.deleted,
  };
}

export function isFinished(run: SyncRunResponse): boolean {
  return run.status === 'succeeded' || run.status === 'failed';
}

/**
 * Records per second, measured on this machine's clock between the first
 * look at the running run and now: the worker's timestamps come from another
 * machine's clock, which may be skewed against ours.
 */
export class RateMeter {
  private origin: { at: number; fetched: number } | undefined;

  observe(progress: RunProgress, at: number): number | undefined {
    if (progress.status !== 'running') return undefined;
    this.origin ??= { at, fetched: progress.fetched };
    const seconds = (at - this.origin.at) / 1000;
    return seconds >= 0.5 ? (progress.fetched - this.origin.fetched) / seconds : undefined;
  }
}

/** `running full: 12 pages, 1200 fetched, 1150 written, 375 records/s`. */
export function describeProgress(progress: RunProgress, rate: number | undefined): string {
  const parts = [`${progress.pages} pages`, `${progress.fetched} fetched`, `${progress.written} written`];
  if (rate !== undefined) parts.push(`${Math.round(rate)} records/s`);
  return `${progress.status}${progress.mode ? ` ${progress.mode}` : ''}: ${parts.join(', ')}`;
}

/** Seconds a run took by the worker's clock, from its start (or its queueing, if it failed before starting) to its end. */
export function durationSeconds(run: SyncRunResponse): number | undefined {
  if (run.finished_at === null) return undefined;
  const from = Date.parse(run.started_at ?? run.queued_at);
  return Math.max(0, (Date.parse(run.finished_at) - from) / 1000);
}

import { emptyStats, type StreamCounts, type SyncRunMode, type SyncRunStats } from './sync-run.entity.js';

/** The listings of a run, in the order it makes them; `done` once every page of both has committed. */
export type SyncStream = 'users' | 'groups' | 'done';

/**
 * Where a run stood after its last committed page, stored as JSON in
 * `sync_runs.checkpoint` in the same transaction as that page, so it never
 * claims more than was committed. A worker that takes the run over continues
 * from here: the same mode and `since`, the stats so far, the next page.
 */
export interface SyncCheckpoint {
  readonly mode: SyncRunMode;
  /** The lower bound of an incremental listing (ISO 8601); a resumed listing must repeat it (cursors are bound to their filter). */
  readonly since: string | null;
  readonly stream: SyncStream;
  /** The connector's position in `stream` (a page's `next`); null: from the stream's first page. */
  readonly position: string | null;
  /** The newest lastModified seen so far (ISO 8601), the connection's watermark once the run succeeds. */
  readonly watermark: string | null;
  readonly stats: SyncRunStats;
  readonly pages: number;
  /** How often a worker took the run over and resumed it, for whatever reason. */
  readonly takeovers: number;
  /** Of those, how often the previous worker had not let go of it (it died, or hung): the poison-run guard counts these. */
  readonly abandonments: number;
  readonly resumedAt: string | null;
  /** Set when the worker stopped between pages for a shutdown and released the run: its successor is not taking over from a crash. */
  readonly interrupted: boolean;
}

/** Take-overs from workers that never let go, after which the run is failed rather than resumed once more. */
export const MAX_ABANDONMENTS = 3;

export function initialCheckpoint(mode: SyncRunMode, since: Date | undefined, watermark: Date | null): SyncCheckpoint {
  return {
    mode,
    since: since?.toISOString() ?? null,
    stream: 'users',
    position: null,
    watermark: watermark?.toISOString() ?? null,
    stats: emptyStats(),
    pages: 0,
    takeovers: 0,
    abandonments: 0,
    resumedAt: null,
    interrupted: false,
  };
}

/**
 * The checkpoint once a page of `stream` has committed: its `next` position
 * (or the next stream when it was the last page), the watermark moved past the
 * page's records, the stats the page's write produced.
 */
export function afterPage(
  checkpoint: SyncCheckpoint,
  page: { stream: 'users' | 'groups'; next: string | null; lastModified: ReadonlyArray<Date | null>; stats: SyncRunStats },
): SyncCheckpoint {
  let watermark = checkpoint.watermark === null ? null : new Date(checkpoint.watermark);
  for (const at of page.lastModified) if (at && (!watermark || at > watermark)) watermark = at;
  const following: SyncStream = page.stream === 'users' ? 'groups' : 'done';
  return {
    ...checkpoint,
    stream: page.next === null ? following : page.stream,
    position: page.next,
    watermark: watermark?.toISOString() ?? null,
    stats: page.stats,
    pages: checkpoint.pages + 1,
  };
}

/** The checkpoint as a new worker resumes from it; an abandonment unless its predecessor released it on shutdown. */
export function takeOver(checkpoint: SyncCheckpoint, at: Date): SyncCheckpoint {
  return {
    ...checkpoint,
    takeovers: checkpoint.takeovers + 1,
    abandonments: checkpoint.abandonments + (checkpoint.interrupted ? 0 : 1),
    resumedAt: at.toISOString(),
    interrupted: false,
  };
}

/** A run whose workers keep vanishing may be what kills them: it fails instead of taking down one more. */
export function isPoisoned(checkpoint: SyncCheckpoint): boolean {
  return checkpoint.abandonments > MAX_ABANDONMENTS;
}

export function interrupted(checkpoint: SyncCheckpoint): SyncCheckpoint {
  return { ...checkpoint, interrupted: true };
}

export function copyStats(stats: SyncRunStats): SyncRunStats {
  return { members: { ...stats.members }, groups: { ...stats.groups } };
}

export function serializeCheckpoint(checkpoint: SyncCheckpoint): string {
  return JSON.stringify(checkpoint);
}

/**
 * The stored checkpoint, or null when there is none or it is not one this
 * version understands: the caller then starts the run's listing over, which
 * upserts make harmless. Never throws, so an odd row never turns into a 500.
 */
export function parseCheckpoint(text: string | null): SyncCheckpoint | null {
  if (text === null) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(stored)) return null;
  const { mode, since, stream, position, watermark, stats, pages, takeovers, abandonments, resumedAt, interrupted } = stored;
  if (mode !== 'full' && mode !== 'incremental') return null;
  if (stream !== 'users' && stream !== 'groups' && stream !== 'done') return null;
  if (!isInstantOrNull(since) || !isInstantOrNull(watermark) || !isInstantOrNull(resumedAt)) return null;
  if (position !== null && typeof position !== 'string') return null;
  if (!isCount(pages) || !isCount(takeovers) || !isCount(abandonments) || typeof interrupted !== 'boolean') return null;
  const parsedStats = readStats(stats);
  if (!parsedStats) return null;
  return { mode, since, stream, position, watermark, stats: parsedStats, pages, takeovers, abandonments, resumedAt, interrupted };
}

function readStats(value: unknown): SyncRunStats | null {
  if (!isRecord(value)) return null;
  const members = readCounts(value.members);
  const groups = readCounts(value.groups);
  return members && groups ? { members, groups } : null;
}

function readCounts(value: unknown): StreamCounts | null {
  if (!isRecord(value)) return null;
  const { fetched, created, updated, deleted, unchanged } = value;
  return isCount(fetched) && isCount(created) && isCount(updated) && isCount(deleted) && isCount(unchanged)
    ? { fetched, created, updated, deleted, unchanged }
    : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isInstantOrNull(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
}

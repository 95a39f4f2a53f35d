import { ApiProperty } from '@nestjs/swagger';
import { parseCheckpoint } from '../sync-checkpoint.js';
import { SYNC_RUN_STATUSES, type StreamCounts, type SyncRunEntity, type SyncRunStats } from '../sync-run.entity.js';

const COUNT = { type: 'integer', minimum: 0 } as const;

export class StreamCountsResponse implements StreamCounts {
  @ApiProperty({ ...COUNT, description: 'Records read from the upstream.' })
  fetched!: number;

  @ApiProperty(COUNT)
  created!: number;

  @ApiProperty(COUNT)
  updated!: number;

  @ApiProperty(COUNT)
  deleted!: number;

  @ApiProperty({ ...COUNT, description: 'Records read that were already up to date.' })
  unchanged!: number;
}

export class SyncRunStatsResponse implements SyncRunStats {
  @ApiProperty({ type: () => StreamCountsResponse })
  members!: StreamCountsResponse;

  @ApiProperty({ type: () => StreamCountsResponse })
  groups!: StreamCountsResponse;
}

const INSTANT = { type: String, format: 'date-time', nullable: true } as const;

/** One run of a sync connection. */
export class SyncRunResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  connection_id!: string;

  @ApiProperty({ format: 'uuid' })
  organization_id!: string;

  @ApiProperty({ enum: ['schedule', 'manual'], description: 'What started the run.' })
  trigger!: string;

  @ApiProperty({ enum: [...SYNC_RUN_STATUSES] })
  status!: string;

  @ApiProperty({
    type: String,
    enum: ['full', 'incremental'],
    nullable: true,
    description: 'A full listing or the changes since the watermark; null until the run has started, unless a full run was asked for.',
  })
  mode!: string | null;

  @ApiProperty({ format: 'date-time' })
  queued_at!: string;

  @ApiProperty(INSTANT)
  started_at!: string | null;

  @ApiProperty(INSTANT)
  finished_at!: string | null;

  @ApiProperty({ type: () => SyncRunStatsResponse, description: 'What the run did, so far or in all.' })
  stats!: SyncRunStatsResponse;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Upstream pages read.' })
  pages!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Why the run failed; null otherwise.' })
  error!: string | null;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description:
      'How often a worker took this run over from another (one that stopped for a shutdown, or died) and resumed it from its ' +
      'last committed page.',
  })
  takeovers!: number;

  @ApiProperty({ ...INSTANT, description: 'When a worker last resumed this run; null when it never was.' })
  resumed_at!: string | null;
}

/** A plain object of the SyncRunResponse shape. */
export function toSyncRunResponse(run: SyncRunEntity): SyncRunResponse {
  const checkpoint = parseCheckpoint(run.checkpoint);
  return {
    id: run.id,
    connection_id: run.connectionId,
    organization_id: run.organizationId,
    trigger: run.trigger,
    status: run.status,
    mode: run.mode,
    queued_at: run.queuedAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    stats: parseStats(run.stats),
    pages: run.pages,
    error: run.error,
    takeovers: checkpoint?.takeovers ?? 0,
    resumed_at: checkpoint?.resumedAt ?? null,
  };
}

/**
 * The stats column as the response shape, whatever the column holds: a
 * count that is missing or not a count reads as 0, and text that is not JSON
 * as all zeros, so an odd row never turns a history read into a 500.
 */
export function parseStats(text: string): SyncRunStats {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    stored = {};
  }
  const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const counts = (value: unknown): StreamCounts => {
    const stream = record(value);
    const count = (key: keyof StreamCounts) => {
      const n = stream[key];
      return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0;
    };
    return {
      fetched: count('fetched'),
      created: count('created'),
      updated: count('updated'),
      deleted: count('deleted'),
      unchanged: count('unchanged'),
    };
  };
  return { members: counts(record(stored).members), groups: counts(record(stored).groups) };
}

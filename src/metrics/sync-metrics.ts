import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { SyncRunStats } from '../sync/runs/sync-run.entity.js';
import { MetricsRegistry } from './metrics-registry.js';

export type SyncRunOutcome = 'succeeded' | 'failed';

const STREAMS = ['members', 'groups'] as const;
const CHANGES = ['created', 'updated', 'deleted'] as const;

/**
 * Sync runs by connection. Connection IDs are bounded (admins create them), so
 * they are labels; what a run wrote counts even when the run then failed,
 * because every page it wrote had committed.
 */
@Injectable()
export class SyncMetrics {
  private readonly runs: Counter<'connection_id' | 'outcome'>;
  private readonly records: Counter<'connection_id' | 'stream' | 'change'>;
  private readonly duration: Histogram<'connection_id'>;
  private readonly lastSuccess: Gauge<'connection_id'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.runs = new Counter({
      name: 'orgsync_sync_runs_total',
      help: 'Sync runs finished, by connection and outcome (succeeded or failed).',
      labelNames: ['connection_id', 'outcome'],
      registers,
    });
    this.records = new Counter({
      name: 'orgsync_sync_records_written_total',
      help: 'Records a sync run wrote, by connection, stream (members or groups) and change (created, updated or deleted).',
      labelNames: ['connection_id', 'stream', 'change'],
      registers,
    });
    this.duration = new Histogram({
      name: 'orgsync_sync_run_duration_seconds',
      help: 'How long sync runs took, by connection.',
      labelNames: ['connection_id'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'orgsync_sync_last_success_timestamp_seconds',
      help: 'When the last successful sync run of a connection finished, in seconds since the Unix epoch.',
      labelNames: ['connection_id'],
      registers,
    });
  }

  runFinished(connectionId: string, outcome: SyncRunOutcome, stats: SyncRunStats, startedAt: Date, finishedAt: Date): void {
    const connection = { connection_id: connectionId };
    this.runs.inc({ ...connection, outcome });
    this.duration.observe(connection, Math.max(0, finishedAt.getTime() - startedAt.getTime()) / 1000);
    for (const stream of STREAMS) {
      for (const change of CHANGES) {
        const count = stats[stream][change];
        if (count > 0) this.records.inc({ ...connection, stream, change }, count);
      }
    }
    if (outcome === 'succeeded') this.lastSuccess.set(connection, finishedAt.getTime() / 1000);
  }
}

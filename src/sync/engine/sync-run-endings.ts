import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { SyncMetrics } from '../../metrics/sync-metrics.js';
import type { SyncConnectionEntity } from '../connections/sync-connection.entity.js';
import { copyStats, interrupted, type SyncCheckpoint } from '../runs/sync-checkpoint.js';
import { emptyStats, type SyncRunEntity } from '../runs/sync-run.entity.js';
import { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import { type Lease, SyncClaimsRepository } from './sync-claims.repository.js';
import { exceedsDeleteLimit, SyncDeletions } from './sync-deletions.js';

/** Why a run stopped early on purpose; its message is the run's error. */
export class RunStopped extends Error {}

/** One run in the hands of this worker, and the checkpoint it last committed. */
export interface RunContext {
  readonly connection: SyncConnectionEntity;
  readonly lease: Lease;
  readonly run: SyncRunEntity;
  /** Undefined until the run has started (or been resumed) under this worker's lease. */
  checkpoint?: SyncCheckpoint;
}

/**
 * How a run ends, each in one transaction with the lease: it succeeds (after
 * its deletions), fails (and the connection backs off), or is handed over by
 * a worker shutting down. A worker that lost its lease records none of them.
 */
@Injectable()
export class SyncRunEndings {
  private readonly logger = new Logger('Sync');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly claims: SyncClaimsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly deletions: SyncDeletions,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    // Absent in the CLI, which never runs a sync and serves no metrics.
    @Optional() private readonly metrics?: SyncMetrics,
  ) {}

  /** Deletions (full runs), the connection's new watermark and the run's success, all or nothing. */
  async succeed(context: RunContext, started: Date): Promise<void> {
    const { connection, lease, run } = context;
    let checkpoint = context.checkpoint!;
    const finished = await this.claims.withLease(lease, this.config.sync.leaseSeconds * 1000, async (manager, now) => {
      if (checkpoint.mode === 'full') checkpoint = await this.deleteUnseen(manager, connection, run, checkpoint, now);
      const queued = await this.runs.findQueued(connection.id, manager);
      await this.claims.release(
        lease,
        {
          watermark: checkpoint.watermark === null ? null : new Date(checkpoint.watermark),
          runsSinceFull: checkpoint.mode === 'full' ? 0 : connection.runsSinceFull + 1,
          // An operator's confirmation is for the next full run's deletions; an incremental run leaves it.
          ...(checkpoint.mode === 'full' ? { deletionsConfirmed: false } : {}),
          consecutiveFailures: 0,
          // A manual run asked for meanwhile goes next, not an interval later.
          nextRunAt: queued ? now : new Date(now.getTime() + connection.intervalSeconds * 1000),
          updatedAt: now,
        },
        manager,
      );
      // Stamped once the deletions are done, so the run's duration includes them.
      const finishedAt = this.clock.now();
      await this.runs.succeed(manager, run.id, checkpoint, finishedAt);
      return finishedAt;
    });
    context.checkpoint = checkpoint;
    this.metrics?.runFinished(connection.id, 'succeeded', checkpoint.stats, started, finished);
  }

  /**
   * The run failed: recorded, and the connection backed off, only while the
   * lease is still ours. A worker that lost its lease leaves the run to the
   * one that took it over.
   */
  async fail(context: RunContext, reason: string, started: Date): Promise<void> {
    const { connection, lease, run, checkpoint } = context;
    try {
      const now = this.clock.now();
      const recorded = await this.dataSource.transaction(async (manager) => {
        // A manual run asked for while this one ran goes next, backoff or not.
        const queued = await this.runs.findQueued(connection.id, manager);
        if (!(await this.claims.release(lease, backoff(connection, now, queued !== null), manager))) return false;
        await this.runs.fail(manager, run.id, checkpoint, reason, now);
        return true;
      });
      if (!recorded) {
        this.logger.warn(`Sync run ${run.id} of connection ${connection.id} stopped here (${reason}); another worker has taken it over.`);
        return;
      }
      this.logger.warn(`Sync run ${run.id} of connection ${connection.id} failed: ${reason}`);
      this.metrics?.runFinished(connection.id, 'failed', checkpoint?.stats ?? emptyStats(), started, now);
    } catch (recordError) {
      // The database itself is failing: the lease will lapse and the next worker resumes the run.
      this.logger.error(
        `Could not record the failure of sync run ${run.id}: ${recordError instanceof Error ? recordError.message : String(recordError)}`,
      );
    }
  }

  /**
   * Stopped between pages for a shutdown, which is no failure: the lease
   * released and the connection due at once, no backoff, the run still running
   * with its checkpoint marked as handed over (its successor counts no crash).
   */
  async handOver(context: RunContext): Promise<void> {
    const { connection, lease, run, checkpoint } = context;
    const now = this.clock.now();
    try {
      const released = await this.dataSource.transaction(async (manager) => {
        if (!(await this.claims.release(lease, { nextRunAt: now, updatedAt: now }, manager))) return false;
        if (checkpoint) await this.runs.handOver(manager, run.id, interrupted(checkpoint));
        return true;
      });
      if (released)
        this.logger.log(
          `Sync run ${run.id} of connection ${connection.id} was interrupted by the shutdown after ${checkpoint?.pages ?? 0} ` +
            'committed page(s); released the connection for another worker to resume the run.',
        );
    } catch (error) {
      // The lease lapses by itself; the next worker then resumes the run as from a crash.
      this.logger.error(`Could not hand over sync run ${run.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async deleteUnseen(
    manager: EntityManager,
    connection: SyncConnectionEntity,
    run: SyncRunEntity,
    checkpoint: SyncCheckpoint,
    now: Date,
  ): Promise<SyncCheckpoint> {
    // Every record any worker saw during this run carries the run's id, whichever worker wrote it.
    const plan = await this.deletions.plan(manager, connection.id, run.id);
    const tooMany = (['members', 'groups'] as const).filter((stream) => exceedsDeleteLimit(plan[stream], connection.maxDeletePercent));
    if (tooMany.length > 0 && !connection.deletionsConfirmed) {
      const detail = tooMany.map((stream) => `${plan[stream].unseen} of ${plan[stream].live} ${stream}`).join(' and ');
      throw new RunStopped(
        `Circuit breaker: this run would delete ${detail}, more than ${connection.maxDeletePercent} % of the connection's records. ` +
          'Nothing was deleted. If the upstream really removed them, confirm the deletions for this connection and run it again.',
      );
    }
    await this.deletions.apply(manager, connection.id, run.id, now, plan);
    const stats = copyStats(checkpoint.stats);
    stats.members.deleted += plan.members.unseen;
    stats.groups.deleted += plan.groups.unseen;
    return { ...checkpoint, stats };
  }
}

/** Exponential backoff with jitter, never later than the regular interval. */
function backoff(connection: SyncConnectionEntity, now: Date, queued: boolean): Partial<SyncConnectionEntity> {
  const failures = connection.consecutiveFailures + 1;
  const backoffMs = Math.min(connection.intervalSeconds * 1000, 30_000 * 2 ** Math.min(failures - 1, 10));
  return {
    consecutiveFailures: failures,
    nextRunAt: queued ? now : new Date(now.getTime() + backoffMs / 2 + Math.random() * (backoffMs / 2)),
    updatedAt: now,
  };
}

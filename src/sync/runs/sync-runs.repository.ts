import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { type SyncCheckpoint, serializeCheckpoint } from './sync-checkpoint.js';
import { emptyStats, SyncRunEntity, type SyncRunTrigger } from './sync-run.entity.js';

/** The write side of run history: a run changes only through these named transitions. */
@Injectable()
export class SyncRunsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get runs() {
    return this.dataSource.getRepository(SyncRunEntity);
  }

  async queue(connectionId: string, organizationId: string, trigger: SyncRunTrigger, at: Date): Promise<SyncRunEntity> {
    const run = Object.assign(new SyncRunEntity(), {
      id: uuidv7(),
      connectionId,
      organizationId,
      trigger,
      status: 'queued' as const,
      mode: null,
      stats: JSON.stringify(emptyStats()),
      pages: 0,
      error: null,
      checkpoint: null,
      queuedAt: at,
      startedAt: null,
      finishedAt: null,
    });
    await this.runs.insert(run);
    return run;
  }

  findQueued(connectionId: string, manager: EntityManager = this.dataSource.manager): Promise<SyncRunEntity | null> {
    return manager.getRepository(SyncRunEntity).findOne({ where: { connectionId, status: 'queued' }, order: { id: 'ASC' } });
  }

  /**
   * Makes a queued run a full listing (the runner honours a mode set before it
   * starts); false when the run has already started, with the mode it chose.
   */
  async requestFull(runId: string): Promise<boolean> {
    const result = await this.runs.update({ id: runId, status: 'queued' }, { mode: 'full' });
    return (result.affected ?? 0) === 1;
  }

  /** The run a worker left running (it died, or stopped for a shutdown): whoever claims the connection next resumes it. */
  findRunning(connectionId: string): Promise<SyncRunEntity | null> {
    return this.runs.findOne({ where: { connectionId, status: 'running' }, order: { id: 'ASC' } });
  }

  /*
   * The transitions of a run under way take the transaction that renews (or
   * releases) the worker's lease, so a worker that lost its lease cannot touch
   * a run another worker has taken over.
   */

  async start(manager: EntityManager, run: SyncRunEntity, checkpoint: SyncCheckpoint, at: Date): Promise<void> {
    const changes = { status: 'running' as const, mode: checkpoint.mode, startedAt: at, ...progressOf(checkpoint) };
    Object.assign(run, changes);
    await manager.update(SyncRunEntity, { id: run.id }, changes);
  }

  /** After a page: its stats and the checkpoint, in the page's own transaction. */
  async recordPage(manager: EntityManager, runId: string, checkpoint: SyncCheckpoint): Promise<void> {
    await manager.update(SyncRunEntity, { id: runId, status: 'running' }, progressOf(checkpoint));
  }

  /** A take-over (counted in the checkpoint), or a shutdown's hand-over: the run stays running. */
  async handOver(manager: EntityManager, runId: string, checkpoint: SyncCheckpoint): Promise<void> {
    await manager.update(SyncRunEntity, { id: runId, status: 'running' }, { checkpoint: serializeCheckpoint(checkpoint) });
  }

  async succeed(manager: EntityManager, runId: string, checkpoint: SyncCheckpoint, at: Date): Promise<void> {
    await manager.update(SyncRunEntity, { id: runId }, { status: 'succeeded', ...progressOf(checkpoint), finishedAt: at, error: null });
  }

  /** Without a checkpoint (the run failed before it started listing), its stats stay as they were. */
  async fail(manager: EntityManager, runId: string, checkpoint: SyncCheckpoint | undefined, error: string, at: Date): Promise<void> {
    await manager.update(
      SyncRunEntity,
      { id: runId },
      { status: 'failed', ...(checkpoint ? progressOf(checkpoint) : {}), finishedAt: at, error: error.slice(0, 2000) },
    );
  }
}

function progressOf(checkpoint: SyncCheckpoint): Pick<SyncRunEntity, 'stats' | 'pages' | 'checkpoint'> {
  return { stats: JSON.stringify(checkpoint.stats), pages: checkpoint.pages, checkpoint: serializeCheckpoint(checkpoint) };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { emptyStats, SyncRunEntity, type SyncRunMode, type SyncRunStats, type SyncRunTrigger } from './sync-run.entity.js';

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

  findQueued(connectionId: string): Promise<SyncRunEntity | null> {
    return this.runs.findOne({ where: { connectionId, status: 'queued' }, order: { id: 'ASC' } });
  }

  /**
   * Makes a queued run a full listing (the runner honours a mode set before it
   * starts); false when the run has already started, with the mode it chose.
   */
  async requestFull(runId: string): Promise<boolean> {
    const result = await this.runs.update({ id: runId, status: 'queued' }, { mode: 'full' });
    return (result.affected ?? 0) === 1;
  }

  async start(run: SyncRunEntity, mode: SyncRunMode, at: Date): Promise<void> {
    Object.assign(run, { status: 'running', mode, startedAt: at });
    await this.runs.update({ id: run.id }, { status: 'running', mode, startedAt: at });
  }

  async progress(runId: string, stats: SyncRunStats, pages: number): Promise<void> {
    await this.runs.update({ id: runId }, { stats: JSON.stringify(stats), pages });
  }

  async succeed(runId: string, stats: SyncRunStats, pages: number, at: Date): Promise<void> {
    await this.runs.update({ id: runId }, { status: 'succeeded', stats: JSON.stringify(stats), pages, finishedAt: at, error: null });
  }

  async fail(runId: string, stats: SyncRunStats, pages: number, error: string, at: Date): Promise<void> {
    await this.runs.update(
      { id: runId },
      { status: 'failed', stats: JSON.stringify(stats), pages, finishedAt: at, error: error.slice(0, 2000) },
    );
  }

  /** Runs a dead worker left running: they are over, and say so. */
  async failAbandoned(connectionId: string, at: Date): Promise<void> {
    await this.runs.update(
      { connectionId, status: 'running' },
      {
        status: 'failed',
        finishedAt: at,
        error: 'The worker running this sync stopped before it finished; nothing it had not committed was kept.',
      },
    );
  }
}

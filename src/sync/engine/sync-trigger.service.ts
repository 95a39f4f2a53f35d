import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { SyncConnectionEntity } from '../connections/sync-connection.entity.js';
import type { SyncRunEntity } from '../runs/sync-run.entity.js';
import { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import { SyncClaimsRepository } from './sync-claims.repository.js';
import { SyncScheduler } from './sync.scheduler.js';

/** A manual run: queued in the database and made due, so whichever worker is free takes it. */
@Injectable()
export class SyncTriggerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: SyncRunsRepository,
    private readonly claims: SyncClaimsRepository,
    private readonly scheduler: SyncScheduler,
    private readonly clock: Clock,
  ) {}

  async requestRun(connectionId: string): Promise<SyncRunEntity> {
    const connection = await this.dataSource.getRepository(SyncConnectionEntity).findOneBy({ id: connectionId, deletedAt: IsNull() });
    if (!connection) throw DomainError.notFound(`Sync connection ${connectionId}`);
    if (!connection.enabled) throw DomainError.conflict('This sync connection is disabled; enable it to run it.');
    const now = this.clock.now();
    // A run asked for twice before it starts is one run.
    const run =
      (await this.runs.findQueued(connection.id)) ?? (await this.runs.queue(connection.id, connection.organizationId, 'manual', now));
    await this.claims.makeDue(connection.id, now);
    void this.scheduler.tick();
    return run;
  }
}

import { Injectable } from '@nestjs/common';
import { validate as isUuid } from 'uuid';
import { DomainError } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../../common/pagination/cursor.js';
import { SyncConnectionsService } from '../connections/sync-connections.service.js';
import type { SyncRunEntity } from './sync-run.entity.js';
import { SyncRunsQueryRepository } from './sync-runs-query.repository.js';

/** Run history: for platform admins by connection or run, for partners within their own organization. */
@Injectable()
export class SyncRunsQueryService {
  constructor(
    private readonly runs: SyncRunsQueryRepository,
    private readonly connections: SyncConnectionsService,
  ) {}

  /** A run, while its connection (and that connection's organization) is live. */
  async get(id: string): Promise<SyncRunEntity> {
    const run = await this.runs.findById(id);
    if (!run || !(await this.connections.findLive(run.connectionId))) throw DomainError.notFound(`Sync run ${id}`);
    return run;
  }

  /** Admin: a connection's runs, newest first, with the unsigned cursors of the admin lists. */
  async listByConnection(connectionId: string, limit: number, cursor?: string): Promise<Page<SyncRunEntity>> {
    await this.connections.get(connectionId);
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    // A cursor is opaque but not signed: one we could not have issued must not reach the query.
    if (before !== undefined && !isUuid(before)) throw DomainError.invalidField('cursor', 'cursor is not a cursor this API returned');
    return toPage(await this.runs.listByConnection(connectionId, limit + 1, before), limit, (run) => run.id);
  }

  /**
   * Partner: the organization's runs, newest first. A connection_id that is not
   * one of the organization's live connections is not found, exactly like an
   * ID that does not exist. `beforeId` comes from a signed cursor.
   */
  async listByOrganization(
    organizationId: string,
    connectionId: string | undefined,
    limit: number,
    beforeId?: string,
  ): Promise<SyncRunEntity[]> {
    if (connectionId !== undefined) await this.connections.getInOrganization(organizationId, connectionId);
    return this.runs.listByOrganization(organizationId, connectionId, limit, beforeId);
  }
}

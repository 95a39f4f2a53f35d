import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Repository, type SelectQueryBuilder } from 'typeorm';
import { AuditEventEntity, type AuditOutcome } from './audit-event.entity.js';
import { lowestAuditEventIdAt } from './audit-event-id.js';
import { InsertStatements, insertSizes } from './audit-insert.statements.js';

/** What a list of audit events may be narrowed to; every field is optional and they combine with AND. */
export interface AuditEventFilter {
  readonly action?: string;
  readonly actionPrefix?: string;
  readonly outcome?: AuditOutcome;
  readonly clientId?: string;
  readonly organizationId?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  /** Inclusive. */
  readonly since?: Date;
  /** Exclusive. */
  readonly until?: Date;
}

@Injectable()
export class AuditEventsRepository {
  private readonly inserts: InsertStatements<AuditEventEntity>;

  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {
    this.inserts = new InsertStatements(events.metadata);
  }

  /**
   * A whole batch at once: one multi-row INSERT of a fixed size, or several in
   * one transaction (audit-insert.statements.ts says why the sizes are fixed).
   */
  async insertMany(events: readonly AuditEventEntity[]): Promise<void> {
    if (events.length === 0) return;
    if (insertSizes(events.length).length === 1) return this.inserts.write(this.events.manager, events);
    await this.events.manager.transaction((manager) => this.inserts.write(manager, events));
  }

  /**
   * Newest first, `limit` events with IDs below `beforeId`. Time bounds become
   * ID bounds (an event's ID carries its occurred_at), so with an action,
   * client or organization filter the query is one range of that (x, id) index,
   * and without one a range of the primary key.
   */
  async listNewestFirst(filter: AuditEventFilter, beforeId: string | undefined, limit: number): Promise<AuditEventEntity[]> {
    const query = this.events.createQueryBuilder('e');
    applyFilter(query, filter);
    if (beforeId !== undefined) query.andWhere('e.id < :beforeId', { beforeId });
    return query.orderBy('e.id', 'DESC').limit(limit).getMany();
  }

  /** Deletes up to `batchSize` of the oldest events before `cutoff`; returns how many went. */
  async deleteOldestBefore(cutoff: Date, batchSize: number): Promise<number> {
    const rows = await this.events
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where('e.occurred_at < :cutoff', { cutoff })
      .orderBy('e.occurred_at', 'ASC')
      .limit(batchSize)
      .getRawMany<{ id: string }>();
    if (rows.length === 0) return 0;
    await this.events.delete(rows.map((row) => row.id));
    return rows.length;
  }
}

function applyFilter(query: SelectQueryBuilder<AuditEventEntity>, filter: AuditEventFilter): void {
  const equal: [keyof AuditEventFilter, string][] = [
    ['action', 'action'],
    ['outcome', 'outcome'],
    ['clientId', 'client_id'],
    ['organizationId', 'organization_id'],
    ['targetType', 'target_type'],
    ['targetId', 'target_id'],
  ];
  for (const [field, column] of equal) {
    if (filter[field] !== undefined) query.andWhere(`e.${column} = :${field}`, { [field]: filter[field] });
  }
  if (filter.actionPrefix !== undefined) {
    // substr, not LIKE: exact on both databases whatever their collation, with no wildcard characters to escape.
    query.andWhere('substr(e.action, 1, :prefixLength) = :actionPrefix', {
      prefixLength: filter.actionPrefix.length,
      actionPrefix: filter.actionPrefix,
    });
  }
  if (filter.since !== undefined) {
    query.andWhere('e.id >= :sinceId', { sinceId: lowestAuditEventIdAt(Math.ceil(filter.since.getTime())) });
  }
  if (filter.until !== undefined) {
    query.andWhere('e.id < :untilId', { untilId: lowestAuditEventIdAt(Math.ceil(filter.until.getTime())) });
  }
}

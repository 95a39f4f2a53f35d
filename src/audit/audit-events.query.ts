import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination/cursor.js';
import { AuditCursors } from './audit-cursors.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import { type AuditEventFilter, AuditEventsRepository } from './audit-events.repository.js';

/** Reading the audit log, newest first, one page at a time (the admin API and `orgsync audit list`). */
@Injectable()
export class AuditEventsQuery {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly cursors: AuditCursors,
  ) {}

  async list(filter: AuditEventFilter, limit: number, cursor?: string): Promise<Page<AuditEventEntity>> {
    const beforeId = cursor === undefined ? undefined : this.cursors.decode(filter, cursor);
    const rows = await this.events.listNewestFirst(filter, beforeId, limit + 1);
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > limit && last ? this.cursors.encode(filter, last.id) : null };
  }
}

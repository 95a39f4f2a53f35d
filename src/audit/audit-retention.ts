import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { AuditEventsRepository } from './audit-events.repository.js';
import { AuditLog } from './audit-log.js';

const DAY_MS = 86_400_000;
/** Rows per DELETE: short statements that never hold locks for long, on either database. */
export const PRUNE_BATCH_SIZE = 1000;

export interface PruneResult {
  readonly deleted: number;
  readonly cutoff: Date;
  /** False when the batch budget ran out first; the next pass carries on. */
  readonly complete: boolean;
}

/** Deletes audit events older than AUDIT_RETENTION_DAYS, a bounded batch at a time. */
@Injectable()
export class AuditRetention {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  cutoff(): Date {
    return new Date(this.clock.now().getTime() - this.config.security.auditRetentionDays * DAY_MS);
  }

  async prune(maxBatches = Number.POSITIVE_INFINITY): Promise<PruneResult> {
    const cutoff = this.cutoff();
    let deleted = 0;
    let complete = false;
    for (let batch = 0; batch < maxBatches && !complete; batch++) {
      const removed = await this.events.deleteOldestBefore(cutoff, PRUNE_BATCH_SIZE);
      deleted += removed;
      complete = removed < PRUNE_BATCH_SIZE;
    }
    // Deleting audit events is itself worth an audit event.
    if (deleted > 0) {
      this.audit.record({
        action: 'audit.pruned',
        targetType: 'audit_events',
        details: { deleted, before: cutoff.toISOString(), retention_days: this.config.security.auditRetentionDays },
      });
    }
    return { deleted, cutoff, complete };
  }
}

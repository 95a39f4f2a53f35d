import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { withAuditContext } from './audit-context.js';
import { AuditRetention } from './audit-retention.js';

const INTERVAL_NAME = 'audit-retention';
export const RETENTION_INTERVAL_MS = 3_600_000;
/** Batches per pass: a backlog (a lowered retention, a long outage) is worked off over several passes. */
const BATCHES_PER_TICK = 50;

/**
 * Thin: once an hour it hands over to AuditRetention. Replicas may prune at
 * the same time; deleting what is already gone is harmless.
 */
@Injectable()
export class AuditRetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly retention: AuditRetention,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => void this.tick(), RETENTION_INTERVAL_MS).unref());
  }

  /** One pruning pass; concurrent calls share it. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= withAuditContext({ via: 'schedule' }, () => this.retention.prune(BATCHES_PER_TICK))
      .then((result) => {
        if (result.deleted > 0) this.logger.log(`Deleted ${result.deleted} audit events from before ${result.cutoff.toISOString()}`);
      })
      .catch((error: unknown) => this.logger.error(`Audit retention pass failed (${error instanceof Error ? error.name : typeof error})`))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.ticking;
  }
}

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../common/clock.js';
import { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import { SyncClaimsRepository } from './sync-claims.repository.js';
import { SyncRunner } from './sync-runner.js';

const INTERVAL_NAME = 'sync-scheduler';
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Thin on purpose: every poll interval it claims due connections through the
 * database (so one run per connection across all replicas) up to this
 * process's limit, and hands each to the runner. State lives in the database.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  /** Identifies this process in leases, for operators reading the database. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /**
   * By run, not by connection: a run that outlived its lease is taken over by a
   * new run of the same connection (its fencing token stops it at its next
   * write), and both stay ours to wait for and to abort until they end.
   */
  private readonly inFlight = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly claims: SyncClaimsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly runner: SyncRunner,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.sync.enabled) return;
    // An interval from configuration, so it is registered here rather than with @Interval's constant.
    this.registry.addInterval(
      INTERVAL_NAME,
      setInterval(() => void this.tick(), this.config.sync.pollIntervalMs),
    );
  }

  /** One scheduling pass; concurrent calls share it. */
  tick(): Promise<void> {
    if (this.stopped || !this.config.sync.enabled) return Promise.resolve();
    this.ticking ??= this.claimAndStart()
      .catch((error: unknown) => this.logger.error(`Scheduling pass failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Resolves when every run this process started has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.ticking) await Promise.all([this.ticking, ...[...this.inFlight.values()].map((r) => r.done)]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    for (const run of this.inFlight.values()) run.abort.abort();
    await Promise.race([this.idle(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  }

  private async claimAndStart(): Promise<void> {
    const capacity = this.config.sync.maxConcurrentRuns - this.inFlight.size;
    if (capacity <= 0) return;
    const now = this.clock.now();
    const claimed = await this.claims.claimDue(this.workerId, now, this.config.sync.leaseSeconds * 1000, capacity);
    for (const { connection, lease } of claimed) {
      await this.runs.failAbandoned(connection.id, now);
      const run =
        (await this.runs.findQueued(connection.id)) ?? (await this.runs.queue(connection.id, connection.organizationId, 'schedule', now));
      const abort = new AbortController();
      const done = this.runner.run(connection, lease, run, abort.signal).finally(() => this.inFlight.delete(run.id));
      this.inFlight.set(run.id, { done, abort });
    }
  }
}

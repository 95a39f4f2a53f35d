import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../common/clock.js';
import { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import { type Lease, SyncClaimsRepository } from './sync-claims.repository.js';
import { SyncRunner } from './sync-runner.js';

const INTERVAL_NAME = 'sync-scheduler';
/** At most this long, and at most half of SHUTDOWN_GRACE_SECONDS, for runs to stop between pages before they are abandoned. */
const MAX_RUN_STOP_MS = 10_000;

/**
 * Thin on purpose: every poll interval it claims due connections through the
 * database (so one run per connection across all replicas) up to this
 * process's limit, and hands each to the runner. State lives in the database.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  /** Identifies this process in leases, for operators reading the database. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /**
   * By lease, not by run or connection: a run that outlived its lease is taken
   * over and resumed, by this process too, under a new lease (the old one's
   * fencing token stops it at its next write), and both stay ours to wait for
   * and to abort until they end.
   */
  private readonly inFlight = new Map<string, { runId: string; done: Promise<void>; abort: AbortController; lease: Lease }>();
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

  /** The IDs of the runs this process has under way (a shutdown that overran names them). */
  runningRunIds(): string[] {
    return [...new Set([...this.inFlight.values()].map((run) => run.runId))];
  }

  /** Stops taking work as soon as shutdown begins, so runs wind down while the HTTP server drains. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    for (const run of this.inFlight.values()) run.abort.abort();
  }

  /**
   * Runs stop between pages and hand themselves over: lease released, the
   * connection due at once, the run left running for another replica to
   * resume. One stuck in an upstream request is abandoned after a while: its
   * lease is released and the connection made due the same way, and the next
   * worker resumes the run from its last checkpoint (counting it as a run whose
   * worker did not let go, for the poison-run guard); the fencing token stops
   * the stuck run should it wake up before the process exits.
   */
  async onApplicationShutdown(): Promise<void> {
    this.beforeApplicationShutdown();
    const waitMs = Math.min(MAX_RUN_STOP_MS, (this.config.lifecycle.shutdownGraceSeconds * 1000) / 2);
    const stopped = await Promise.race([
      this.idle().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), waitMs).unref()),
    ]);
    if (!stopped) await this.abandonUnfinished();
  }

  private async abandonUnfinished(): Promise<void> {
    const now = this.clock.now();
    for (const { runId, lease } of this.inFlight.values()) {
      try {
        // The run stays 'running': the next worker to claim the connection resumes it.
        if (await this.claims.release(lease, { nextRunAt: now, updatedAt: now }))
          this.logger.warn(`Sync run ${runId} did not stop in time; abandoned it and released connection ${lease.connectionId}.`);
      } catch (error) {
        this.logger.error(`Could not release connection ${lease.connectionId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private async claimAndStart(): Promise<void> {
    const capacity = this.config.sync.maxConcurrentRuns - this.inFlight.size;
    if (capacity <= 0) return;
    const now = this.clock.now();
    const claimed = await this.claims.claimDue(this.workerId, now, this.config.sync.leaseSeconds * 1000, capacity);
    for (const { connection, lease } of claimed) {
      // A run left running (its worker died, or handed it over on shutdown) is resumed first; a queued one goes next.
      const run =
        (await this.runs.findRunning(connection.id)) ??
        (await this.runs.findQueued(connection.id)) ??
        (await this.runs.queue(connection.id, connection.organizationId, 'schedule', now));
      const key = `${lease.connectionId}#${lease.token}`;
      const abort = new AbortController();
      const done = this.runner.run(connection, lease, run, abort.signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, { runId: run.id, done, abort, lease });
    }
  }
}

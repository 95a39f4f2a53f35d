import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../common/clock.js';
import {
  type ConnectorSession,
  SYNC_CONNECTORS,
  type SyncConnector,
  type UpstreamGroup,
  type UpstreamUser,
} from '../connectors/sync-connector.js';
import type { SyncConnectionEntity } from '../connections/sync-connection.entity.js';
import { SyncConnectionsService } from '../connections/sync-connections.service.js';
import { SyncMetrics } from '../../metrics/sync-metrics.js';
import { emptyStats, type SyncRunEntity, type SyncRunMode, type SyncRunStats } from '../runs/sync-run.entity.js';
import { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import { UpstreamHttp } from '../upstream/upstream-http.js';
import { UpstreamSession } from '../upstream/upstream-session.js';
import { UpstreamTokenClient } from '../upstream/upstream-token-client.js';
import { GroupSyncWriter } from './group-sync-writer.js';
import { MemberSyncWriter } from './member-sync-writer.js';
import { type Lease, SyncClaimsRepository } from './sync-claims.repository.js';
import { exceedsDeleteLimit, SyncDeletions } from './sync-deletions.js';

/** Why a run stopped early on purpose; its message is the run's error. */
class RunStopped extends Error {}

/**
 * Executes one run of a claimed connection: lists users then groups page by
 * page (never the whole directory in memory), writes each page in its own
 * transaction that first renews the lease (fencing), and only once everything
 * has committed: deletions (full runs, within the circuit breaker), then the
 * new watermark. A failure at any point leaves the watermark where it was, so
 * the next run covers everything again; upserts make that harmless.
 */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger('Sync');
  private readonly tokenClients = new Map<string, { key: string; client: UpstreamTokenClient }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SYNC_CONNECTORS) private readonly connectors: SyncConnector[],
    private readonly claims: SyncClaimsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly members: MemberSyncWriter,
    private readonly groups: GroupSyncWriter,
    private readonly deletions: SyncDeletions,
    private readonly connections: SyncConnectionsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    // Absent in the CLI, which builds the runner (to queue runs) but never runs one, and serves no metrics.
    @Optional() private readonly metrics?: SyncMetrics,
  ) {}

  async run(connection: SyncConnectionEntity, lease: Lease, run: SyncRunEntity, signal: AbortSignal): Promise<void> {
    const stats = emptyStats();
    let pages = 0;
    const started = this.clock.now();
    try {
      const session = await this.open(connection);
      // A run queued as full (`orgsync sync run --full`) is full whatever the schedule says.
      const mode = run.mode === 'full' ? 'full' : this.modeFor(connection, session);
      await this.runs.start(run, mode, started);
      const since =
        mode === 'incremental' && connection.watermark
          ? new Date(connection.watermark.getTime() - this.config.sync.overlapSeconds * 1000)
          : undefined;
      let watermark = connection.watermark;
      const target = { organizationId: connection.organizationId, connectionId: connection.id, runId: run.id };
      const advance = (items: ReadonlyArray<UpstreamUser | UpstreamGroup>) => {
        for (const item of items) if (item.lastModified && (!watermark || item.lastModified > watermark)) watermark = item.lastModified;
      };
      for await (const page of session.users(since)) {
        await this.writePage(lease, signal, (manager, now) => this.members.writePage(manager, target, page, now, stats.members));
        advance(page);
        await this.runs.progress(run.id, stats, ++pages);
      }
      for await (const page of session.groups(since)) {
        await this.writePage(lease, signal, (manager, now) => this.groups.writePage(manager, target, page, now, stats.groups));
        advance(page);
        await this.runs.progress(run.id, stats, ++pages);
      }
      if (mode === 'full') await this.deleteUnseen(connection, lease, run, stats);
      // An operator's confirmation is for the next full run's deletions; an incremental run leaves it.
      await this.finish(connection, lease, {
        watermark,
        runsSinceFull: mode === 'full' ? 0 : connection.runsSinceFull + 1,
        ...(mode === 'full' ? { deletionsConfirmed: false } : {}),
      });
      const finished = this.clock.now();
      await this.runs.succeed(run.id, stats, pages, finished);
      this.metrics?.runFinished(connection.id, 'succeeded', stats, started, finished);
    } catch (error) {
      this.metrics?.runFinished(connection.id, 'failed', stats, started, this.clock.now());
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Sync run ${run.id} of connection ${connection.id} failed: ${reason}`);
      try {
        await this.runs.fail(run.id, stats, pages, reason, this.clock.now());
        await this.failConnection(connection, lease);
      } catch (recordError) {
        // The database itself is failing: the lease will lapse and the next worker marks this run failed.
        this.logger.error(
          `Could not record the failure of sync run ${run.id}: ${recordError instanceof Error ? recordError.message : String(recordError)}`,
        );
      }
    }
  }

  private async open(connection: SyncConnectionEntity): Promise<ConnectorSession> {
    const connector = this.connectors.find((candidate) => candidate.kind === connection.kind);
    if (!connector) throw new RunStopped(`No connector for kind ${connection.kind}.`);
    const http = new UpstreamHttp({
      timeoutMs: this.config.sync.httpTimeoutMs,
      retry: { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 60_000 },
    });
    const session = new UpstreamSession(this.tokenClientFor(connection, http), http);
    return connector.open({ baseUrl: connection.baseUrl.replace(/\/+$/, ''), getJson: (url) => session.getJson(url) });
  }

  /**
   * One token client per connection and credentials, kept across runs: the
   * upstream's token is reused until shortly before it expires instead of
   * fetched for every run. New credentials get a new client.
   */
  private tokenClientFor(connection: SyncConnectionEntity, http: UpstreamHttp): UpstreamTokenClient {
    const credentials = this.connections.credentialsOf(connection);
    const key = createHash('sha256').update(JSON.stringify(credentials)).digest('base64url');
    const cached = this.tokenClients.get(connection.id);
    if (cached?.key === key) return cached.client;
    const client = new UpstreamTokenClient(credentials, http);
    this.tokenClients.set(connection.id, { key, client });
    return client;
  }

  /** Full when there is no watermark, when the upstream cannot filter, and every full_sync_every runs (the only way to see deletions). */
  private modeFor(connection: SyncConnectionEntity, session: ConnectorSession): SyncRunMode {
    const dueForFull = connection.runsSinceFull + 1 >= connection.fullSyncEvery;
    return connection.watermark && session.supportsIncremental && !dueForFull ? 'incremental' : 'full';
  }

  private async writePage(lease: Lease, signal: AbortSignal, write: (manager: EntityManager, now: Date) => Promise<void>): Promise<void> {
    if (signal.aborted)
      throw new RunStopped('The worker is shutting down; the run stopped between pages and will resume from the last watermark.');
    await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      await this.claims.renew(manager, lease, new Date(now.getTime() + this.config.sync.leaseSeconds * 1000));
      await write(manager, now);
    });
  }

  private async deleteUnseen(connection: SyncConnectionEntity, lease: Lease, run: SyncRunEntity, stats: SyncRunStats): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      await this.claims.renew(manager, lease, new Date(now.getTime() + this.config.sync.leaseSeconds * 1000));
      const plan = await this.deletions.plan(manager, connection.id, run.id);
      const tooMany = (['members', 'groups'] as const).filter((stream) => exceedsDeleteLimit(plan[stream], connection.maxDeletePercent));
      if (tooMany.length > 0 && !connection.deletionsConfirmed) {
        const detail = tooMany.map((stream) => `${plan[stream].unseen} of ${plan[stream].live} ${stream}`).join(' and ');
        throw new RunStopped(
          `Circuit breaker: this run would delete ${detail}, more than ${connection.maxDeletePercent} % of the connection's records. ` +
            'Nothing was deleted. If the upstream really removed them, confirm the deletions for this connection and run it again.',
        );
      }
      await this.deletions.apply(manager, connection.id, run.id, now);
      stats.members.deleted += plan.members.unseen;
      stats.groups.deleted += plan.groups.unseen;
    });
  }

  private async finish(
    connection: SyncConnectionEntity,
    lease: Lease,
    state: { watermark: Date | null; runsSinceFull: number },
  ): Promise<void> {
    const now = this.clock.now();
    const released = await this.claims.release(lease, {
      ...state,
      consecutiveFailures: 0,
      nextRunAt: (await this.runs.findQueued(connection.id)) ? now : new Date(now.getTime() + connection.intervalSeconds * 1000),
      updatedAt: now,
    });
    if (!released)
      throw new RunStopped('Another worker took this connection over before the run could finish; its result was not recorded.');
  }

  /** Exponential backoff with jitter, never later than the regular interval. */
  private async failConnection(connection: SyncConnectionEntity, lease: Lease): Promise<void> {
    const failures = connection.consecutiveFailures + 1;
    const backoffMs = Math.min(connection.intervalSeconds * 1000, 30_000 * 2 ** Math.min(failures - 1, 10));
    const now = this.clock.now();
    // A manual run asked for while this one ran goes next, backoff or not.
    const queued = await this.runs.findQueued(connection.id);
    await this.claims.release(lease, {
      consecutiveFailures: failures,
      nextRunAt: queued ? now : new Date(now.getTime() + backoffMs / 2 + Math.random() * (backoffMs / 2)),
      updatedAt: now,
    });
  }
}

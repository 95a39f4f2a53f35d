import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../common/clock.js';
import type { ConnectorSession, ListPage } from '../connectors/sync-connector.js';
import type { SyncConnectionEntity } from '../connections/sync-connection.entity.js';
import {
  afterPage,
  copyStats,
  initialCheckpoint,
  isPoisoned,
  MAX_ABANDONMENTS,
  parseCheckpoint,
  takeOver,
} from '../runs/sync-checkpoint.js';
import type { SyncRunEntity, SyncRunMode, SyncRunStats } from '../runs/sync-run.entity.js';
import { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import { ConnectorSessions } from './connector-sessions.js';
import { GroupSyncWriter } from './group-sync-writer.js';
import { MemberSyncWriter } from './member-sync-writer.js';
import { type Lease, SyncClaimsRepository } from './sync-claims.repository.js';
import { type RunContext, RunStopped, SyncRunEndings } from './sync-run-endings.js';

/** The worker is shutting down and the run stopped between pages: not a failure, the run is handed over. */
class RunInterrupted extends Error {}

type PageWriter<T> = (manager: EntityManager, items: readonly T[], now: Date, stats: SyncRunStats) => Promise<void>;

/**
 * Executes one run of a claimed connection, or resumes one another worker
 * left running: lists users then groups page by page (never the whole
 * directory in memory), writing each page and the checkpoint after it in one
 * transaction that first renews the lease (fencing). Only once every page has
 * committed, in one last transaction: deletions (full runs, within the circuit
 * breaker), the new watermark, the run's success. A failure leaves the
 * watermark where it was, so the next run covers everything again; upserts
 * make that harmless. A shutdown between pages is no failure: the run is
 * handed over, for another worker to resume from its checkpoint at once.
 */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger('Sync');

  constructor(
    private readonly sessions: ConnectorSessions,
    private readonly claims: SyncClaimsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly members: MemberSyncWriter,
    private readonly groups: GroupSyncWriter,
    private readonly endings: SyncRunEndings,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Runs a queued run, or resumes a `running` one from its checkpoint. */
  async run(connection: SyncConnectionEntity, lease: Lease, run: SyncRunEntity, signal: AbortSignal): Promise<void> {
    const context: RunContext = { connection, lease, run };
    const started = run.startedAt ?? this.clock.now();
    try {
      if (run.status === 'running') await this.resume(context);
      const session = await this.sessions.open(connection);
      if (!context.checkpoint) await this.start(context, session);
      await this.list(context, session, signal);
      await this.endings.succeed(context, started);
    } catch (error) {
      if (error instanceof RunInterrupted) await this.endings.handOver(context);
      else await this.endings.fail(context, error instanceof Error ? error.message : String(error), started);
    }
  }

  private async start(context: RunContext, session: ConnectorSession): Promise<void> {
    const { connection, run } = context;
    // A run queued as full (`orgsync sync run --full`) is full whatever the schedule says.
    const mode = run.mode === 'full' ? 'full' : this.modeFor(connection, session);
    const checkpoint = initialCheckpoint(mode, this.sinceFor(connection, mode), connection.watermark);
    await this.withLease(context, (manager, now) => this.runs.start(manager, run, checkpoint, now));
    context.checkpoint = checkpoint;
  }

  /**
   * Takes over a run whose worker is gone: same id, mode, `since` and stats,
   * from the page after its last committed one. A checkpoint this version
   * cannot read starts the listing over. A run whose workers keep vanishing
   * is failed rather than handed to one more.
   */
  private async resume(context: RunContext): Promise<void> {
    const { connection, run } = context;
    const mode = run.mode ?? 'full';
    const previous = parseCheckpoint(run.checkpoint) ?? initialCheckpoint(mode, this.sinceFor(connection, mode), connection.watermark);
    const checkpoint = takeOver(previous, this.clock.now());
    if (isPoisoned(checkpoint)) {
      // Recorded as it stood: the take-overs that did resume it.
      context.checkpoint = previous;
      throw new RunStopped(
        `The workers running this sync stopped without finishing or releasing it ${MAX_ABANDONMENTS + 1} times; ` +
          'it may be what stops them, so it was failed rather than resumed again. The next run starts over.',
      );
    }
    await this.withLease(context, (manager) => this.runs.handOver(manager, run.id, checkpoint));
    context.checkpoint = checkpoint;
    this.logger.log(
      `Resuming sync run ${run.id} of connection ${connection.id} after ${checkpoint.pages} committed page(s) ` +
        `(take-over ${checkpoint.takeovers}${previous.interrupted ? ', after a shutdown' : ''}).`,
    );
  }

  private async list(context: RunContext, session: ConnectorSession, signal: AbortSignal): Promise<void> {
    const since = context.checkpoint!.since === null ? undefined : new Date(context.checkpoint!.since);
    const target = { organizationId: context.connection.organizationId, connectionId: context.connection.id, runId: context.run.id };
    if (context.checkpoint!.stream === 'users') {
      const pages = session.users({ since, from: context.checkpoint!.position ?? undefined });
      await this.listStream(context, 'users', pages, signal, (manager, items, now, stats) =>
        this.members.writePage(manager, target, items, now, stats.members),
      );
    }
    if (context.checkpoint!.stream === 'groups') {
      const pages = session.groups({ since, from: context.checkpoint!.position ?? undefined });
      await this.listStream(context, 'groups', pages, signal, (manager, items, now, stats) =>
        this.groups.writePage(manager, target, items, now, stats.groups),
      );
    }
  }

  /** Each page with the checkpoint after it, in one transaction; the checkpoint in memory moves only once that committed. */
  private async listStream<T extends { readonly lastModified: Date | null }>(
    context: RunContext,
    stream: 'users' | 'groups',
    pages: AsyncIterable<ListPage<T>>,
    signal: AbortSignal,
    write: PageWriter<T>,
  ): Promise<void> {
    for await (const page of pages) {
      if (signal.aborted) throw new RunInterrupted();
      context.checkpoint = await this.withLease(context, async (manager, now) => {
        const stats = copyStats(context.checkpoint!.stats);
        await write(manager, page.items, now, stats);
        const lastModified = page.items.map((item) => item.lastModified);
        const checkpoint = afterPage(context.checkpoint!, { stream, next: page.next, lastModified, stats });
        await this.runs.recordPage(manager, context.run.id, checkpoint);
        return checkpoint;
      });
      // Stop before asking for the next page rather than after it.
      if (signal.aborted && page.next !== null) throw new RunInterrupted();
    }
  }

  private withLease<T>(context: RunContext, work: (manager: EntityManager, now: Date) => Promise<T>): Promise<T> {
    return this.claims.withLease(context.lease, this.config.sync.leaseSeconds * 1000, work);
  }

  /** Full when there is no watermark, when the upstream cannot filter, and every full_sync_every runs (the only way to see deletions). */
  private modeFor(connection: SyncConnectionEntity, session: ConnectorSession): SyncRunMode {
    const dueForFull = connection.runsSinceFull + 1 >= connection.fullSyncEvery;
    return connection.watermark && session.supportsIncremental && !dueForFull ? 'incremental' : 'full';
  }

  private sinceFor(connection: SyncConnectionEntity, mode: SyncRunMode): Date | undefined {
    return mode === 'incremental' && connection.watermark
      ? new Date(connection.watermark.getTime() - this.config.sync.overlapSeconds * 1000)
      : undefined;
  }
}

import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { detachedFromConnectionLock } from '../database/connection-lock.js';
import { currentAuditContext } from './audit-context.js';
import { sanitizeDetails } from './audit-details.js';
import { AuditEventEntity, type AuditOutcome } from './audit-event.entity.js';
import { AuditEventIds } from './audit-event-id.js';
import { AuditEventsRepository } from './audit-events.repository.js';

/** What an audit event says; the actor, source address and request ID default to the current request's. */
export interface AuditEventInput {
  /** `<subject>.<verb>`, e.g. token.issued, token.refused, client.created, client_secret.revoked, signing_key.rotated. */
  readonly action: string;
  readonly outcome?: AuditOutcome;
  /** The acting client; defaults to the authenticated caller of the current request. */
  readonly clientId?: string | null;
  readonly organizationId?: string | null;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  readonly sourceAddress?: string | null;
  readonly requestId?: string | null;
  /** Facts about the event. Never a secret, a token or an assertion (keys naming one are redacted anyway). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditLogTuning {
  /** Events per INSERT; a full batch is written at once. */
  readonly batchSize: number;
  /** How long a partial batch waits for company. */
  readonly flushDelayMs: number;
  /** Events held while the database is slow or down; beyond this the oldest are dropped. */
  readonly maxQueued: number;
  /** Waits between attempts to write one batch; its length is the number of retries. */
  readonly retryDelaysMs: readonly number[];
}

export const AUDIT_LOG_TUNING = Symbol('AUDIT_LOG_TUNING');

const DEFAULT_TUNING: AuditLogTuning = { batchSize: 200, flushDelayMs: 200, maxQueued: 10_000, retryDelaysMs: [100, 500, 2000] };

/** Column widths of audit_events: a value that does not fit is cut rather than failing its whole batch. */
const WIDTH = { action: 64, clientId: 128, organizationId: 36, targetType: 32, targetId: 128, sourceAddress: 64, requestId: 128 };

/**
 * The audit log. `record` is synchronous and never throws: the request that
 * caused an event never waits for, or fails because of, its write. Events are
 * queued and written in multi-row batches (when a batch is full, or shortly
 * after the first event), retried a few times on failure, and the queue is
 * drained before the application's database connection closes.
 */
@Injectable()
export class AuditLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('AuditLog');
  private readonly tuning: AuditLogTuning;
  private readonly ids = new AuditEventIds();
  private queue: AuditEventEntity[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private droppedSinceLastReport = 0;
  private closing = false;

  constructor(
    private readonly events: AuditEventsRepository,
    private readonly clock: Clock,
    @Optional() @Inject(AUDIT_LOG_TUNING) tuning?: Partial<AuditLogTuning>,
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  record(event: AuditEventInput): void {
    try {
      this.enqueue(this.toEntity(event));
    } catch (error) {
      this.logger.error(`An audit event could not be recorded (${errorName(error)})`);
    }
  }

  /** Resolves once every event recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length > 0) {
      this.startWriting();
      await this.writing;
    }
  }

  /** Nest calls this before any module's onApplicationShutdown, so before TypeORM closes the pool. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.flush();
  }

  /** Events recorded by requests that finished while the HTTP server was closing. */
  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private toEntity(event: AuditEventInput): AuditEventEntity {
    const context = currentAuditContext();
    const occurredAt = this.clock.now();
    const details = sanitizeDetails(event.details);
    if (context?.via !== undefined && details.via === undefined) details.via = context.via;
    return Object.assign(new AuditEventEntity(), {
      id: this.ids.next(occurredAt),
      occurredAt,
      action: clip(event.action, WIDTH.action) ?? 'unknown',
      outcome: event.outcome ?? 'success',
      clientId: clip(event.clientId === undefined ? context?.clientId : event.clientId, WIDTH.clientId),
      organizationId: clip(event.organizationId === undefined ? context?.organizationId : event.organizationId, WIDTH.organizationId),
      targetType: clip(event.targetType, WIDTH.targetType),
      targetId: clip(event.targetId, WIDTH.targetId),
      sourceAddress: clip(event.sourceAddress === undefined ? context?.sourceAddress : event.sourceAddress, WIDTH.sourceAddress),
      requestId: clip(event.requestId === undefined ? context?.requestId : event.requestId, WIDTH.requestId),
      details: JSON.stringify(details),
    });
  }

  private enqueue(entity: AuditEventEntity): void {
    if (this.queue.length >= this.tuning.maxQueued) {
      // The database is not keeping up (or is down): memory stays bounded, and the newest events are the ones kept.
      this.queue.shift();
      this.droppedSinceLastReport++;
    }
    this.queue.push(entity);
    if (this.queue.length >= this.tuning.batchSize) this.startWriting();
    else if (!this.writing) this.timer ??= setTimeout(() => this.startWriting(), this.tuning.flushDelayMs).unref();
  }

  private startWriting(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Detached: a record() made inside a database transaction must not have its batch join that transaction.
    this.writing ??= detachedFromConnectionLock(() => this.drain()).finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0) this.startWriting();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      this.reportDropped();
      const written = await this.writeWithRetries(this.queue.splice(0, this.tuning.batchSize));
      if (!written && this.closing && this.queue.length > 0) {
        // Shutting down with the database gone: waiting out retries batch by batch would only delay the exit.
        this.logger.error(`${this.queue.length} more audit events were not written: the database is unavailable at shutdown`);
        this.queue = [];
      }
    }
    this.reportDropped();
  }

  private async writeWithRetries(batch: AuditEventEntity[]): Promise<boolean> {
    const delays = this.tuning.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.events.insertMany(batch);
        return true;
      } catch (error) {
        const delay = delays[attempt];
        if (delay === undefined) {
          // One bad row must not take its batch with it: write the others one by one before giving up on any.
          const lost = batch.length > 1 ? await this.insertOneByOne(batch) : batch.length;
          if (lost === 0) return true;
          // A count and the error's kind only: the driver's message may quote the statement.
          this.logger.error(`${lost} audit events could not be written after ${attempt + 1} attempts (${errorName(error)})`);
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Returns how many of the events could not be written. */
  private async insertOneByOne(batch: AuditEventEntity[]): Promise<number> {
    let lost = 0;
    for (const event of batch) {
      try {
        await this.events.insertMany([event]);
      } catch {
        lost++;
      }
    }
    return lost;
  }

  private reportDropped(): void {
    if (this.droppedSinceLastReport === 0) return;
    this.logger.error(
      `${this.droppedSinceLastReport} audit events were dropped: more than ${this.tuning.maxQueued} were waiting to be written`,
    );
    this.droppedSinceLastReport = 0;
  }
}

/**
 * Fits a value from the request into its column: cut to the column's width, and
 * NUL characters (which PostgreSQL refuses in text, failing the whole insert)
 * replaced, so hostile input can neither break nor erase the audit trail.
 */
function clip(value: string | null | undefined, width: number): string | null {
  if (value === undefined || value === null) return null;
  const clean = value.replaceAll('\u0000', '\uFFFD');
  return clean.length > width ? clean.slice(0, width) : clean;
}

function errorName(error: unknown): string {
  if (error instanceof Error)
    return (error as Error & { code?: unknown }).code !== undefined
      ? `${error.name} ${String((error as { code?: unknown }).code)}`
      : error.name;
  return typeof error;
}

import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { withAuditContext } from './audit-context.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import type { AuditEventsRepository } from './audit-events.repository.js';
import { AuditLog, type AuditLogTuning } from './audit-log.js';

class ManualClock extends Clock {
  constructor(public ms = Date.UTC(2026, 2, 1, 12)) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
}

/** A repository that keeps what it is given, and can be told to fail or to hold writes. */
class FakeEventsRepository {
  readonly batches: AuditEventEntity[][] = [];
  failuresLeft = 0;
  /** Rows the database refuses whenever they are in the insert, as PostgreSQL refuses text with a NUL. */
  poison: (event: AuditEventEntity) => boolean = () => false;
  readonly insertMany = jest.fn(async (events: readonly AuditEventEntity[]): Promise<void> => {
    if (events.some((event) => this.poison(event))) throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw Object.assign(new Error(`INSERT INTO audit_events ... ${JSON.stringify(events)}`), { code: 'ECONNREFUSED' });
    }
    this.batches.push([...events]);
  });
  written(): AuditEventEntity[] {
    return this.batches.flat();
  }
}

describe('AuditLog', () => {
  let repository: FakeEventsRepository;
  let clock: ManualClock;
  let errors: string[];

  function auditLog(tuning: Partial<AuditLogTuning> = {}): AuditLog {
    return new AuditLog(repository as unknown as AuditEventsRepository, clock, { retryDelaysMs: [], ...tuning });
  }

  beforeEach(() => {
    repository = new FakeEventsRepository();
    clock = new ManualClock();
    errors = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  describe('batching', () => {
    it('returns at once and writes a partial batch in one insert after the flush delay', async () => {
      jest.useFakeTimers();
      const log = auditLog({ batchSize: 10, flushDelayMs: 200 });

      log.record({ action: 'client.created' });
      log.record({ action: 'client.updated' });
      await jest.advanceTimersByTimeAsync(199);
      expect(repository.insertMany).not.toHaveBeenCalled();

      await jest.advanceTimersByTimeAsync(1);
      expect(repository.batches.map((batch) => batch.map((event) => event.action))).toEqual([['client.created', 'client.updated']]);
    });

    it('writes a full batch without waiting for the delay', async () => {
      jest.useFakeTimers();
      const log = auditLog({ batchSize: 3, flushDelayMs: 10_000 });

      for (let i = 0; i < 3; i++) log.record({ action: `e.${i}` });
      await jest.advanceTimersByTimeAsync(0);

      expect(repository.batches).toHaveLength(1);
      expect(repository.batches[0]).toHaveLength(3);
    });

    it('splits a backlog into batches of at most the batch size, in the order recorded', async () => {
      const log = auditLog({ batchSize: 3 });

      for (let i = 0; i < 7; i++) log.record({ action: `e.${i}` });
      await log.flush();

      expect(repository.batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
      expect(repository.written().map((event) => event.action)).toEqual(['e.0', 'e.1', 'e.2', 'e.3', 'e.4', 'e.5', 'e.6']);
    });
  });

  describe('a slow or failing database', () => {
    it('keeps at most maxQueued events, dropping the oldest and logging how many', async () => {
      const log = auditLog({ batchSize: 100, maxQueued: 5 });

      for (let i = 0; i < 8; i++) log.record({ action: `e.${i}` });
      await log.flush();

      expect(repository.written().map((event) => event.action)).toEqual(['e.3', 'e.4', 'e.5', 'e.6', 'e.7']);
      expect(errors).toEqual([expect.stringContaining('3 audit events were dropped')]);
    });

    it('retries a failed write and writes the batch once', async () => {
      repository.failuresLeft = 2;
      const log = auditLog({ retryDelaysMs: [1, 1] });

      log.record({ action: 'client.created' });
      await log.flush();

      expect(repository.insertMany).toHaveBeenCalledTimes(3);
      expect(repository.written().map((event) => event.action)).toEqual(['client.created']);
      expect(errors).toEqual([]);
    });

    it('gives up after the retries and logs a count, never the events or the driver message', async () => {
      repository.failuresLeft = 99;
      const log = auditLog({ retryDelaysMs: [1] });

      log.record({ action: 'client.created', targetId: 'orgsync_abc', details: { name: 'Acme' } });
      await log.flush();

      expect(repository.insertMany).toHaveBeenCalledTimes(2);
      expect(errors).toEqual(['1 audit events could not be written after 2 attempts (Error ECONNREFUSED)']);
    });

    it('writes the rest of a batch that one row makes the database refuse', async () => {
      repository.poison = (event) => event.action === 'e.poison';
      const log = auditLog({ batchSize: 10, retryDelaysMs: [1] });

      for (const action of ['e.1', 'e.poison', 'e.2']) log.record({ action });
      await log.flush();

      expect(repository.written().map((event) => event.action)).toEqual(['e.1', 'e.2']);
      expect(errors).toEqual(['1 audit events could not be written after 2 attempts (Error 22021)']);
    });

    it('never throws from record, whatever goes wrong', () => {
      const brokenClock = new (class extends Clock {
        now(): Date {
          throw new Error('clock broken');
        }
      })();
      const log = new AuditLog(repository as unknown as AuditEventsRepository, brokenClock);

      expect(() => log.record({ action: 'client.created' })).not.toThrow();
      expect(errors).toEqual(['An audit event could not be recorded (Error)']);
    });
  });

  describe('shutdown', () => {
    it('writes what is queued before the application shuts down, without waiting for the delay', async () => {
      jest.useFakeTimers();
      const log = auditLog({ flushDelayMs: 60_000 });

      log.record({ action: 'token.issued' });
      await log.beforeApplicationShutdown();

      expect(repository.written().map((event) => event.action)).toEqual(['token.issued']);
    });

    it('stops retrying batch after batch once the database is gone at shutdown', async () => {
      repository.failuresLeft = 99;
      const log = auditLog({ batchSize: 2, retryDelaysMs: [1] });

      for (let i = 0; i < 6; i++) log.record({ action: `e.${i}` });
      await log.beforeApplicationShutdown();

      // The first batch: an insert, a retry, then each of its two rows alone; then no more batches.
      expect(repository.insertMany).toHaveBeenCalledTimes(4);
      expect(errors).toEqual([
        '2 audit events could not be written after 2 attempts (Error ECONNREFUSED)',
        '4 more audit events were not written: the database is unavailable at shutdown',
      ]);
    });
  });

  describe('what an event holds', () => {
    it('takes the actor, source address and request ID from the audit context when the event does not name them', async () => {
      const log = auditLog();
      const context = { requestId: 'req-1', sourceAddress: '192.0.2.7', clientId: 'admin', organizationId: 'org-1' };

      withAuditContext(context, () => {
        log.record({ action: 'client.created', organizationId: 'org-2' });
        log.record({ action: 'token.refused', clientId: null });
      });
      await log.flush();

      expect(repository.written()).toEqual([
        expect.objectContaining({ clientId: 'admin', organizationId: 'org-2', sourceAddress: '192.0.2.7', requestId: 'req-1' }),
        expect.objectContaining({ clientId: null, organizationId: 'org-1', sourceAddress: '192.0.2.7', requestId: 'req-1' }),
      ]);
    });

    it('marks events of the command line and of scheduled jobs with details.via', async () => {
      const log = auditLog();

      withAuditContext({ via: 'cli', clientId: null }, () => log.record({ action: 'client.deleted' }));
      withAuditContext({ via: 'schedule' }, () => log.record({ action: 'audit.pruned', details: { deleted: 3 } }));
      log.record({ action: 'token.issued' });
      await log.flush();

      expect(repository.written().map((event) => JSON.parse(event.details) as unknown)).toEqual([
        { via: 'cli' },
        { deleted: 3, via: 'schedule' },
        {},
      ]);
      expect(repository.written()[0]?.clientId).toBeNull();
    });

    it('redacts anything in details named like a secret, token, assertion, password or authorization', async () => {
      const log = auditLog();
      const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

      log.record({
        action: 'client.updated',
        details: { client_secret: 'orgsync_cs_x', nested: { access_token: 'opaque', note: jwt }, scope: 'org:read' },
      });
      await log.flush();

      const stored = repository.written()[0]!.details;
      expect(stored).not.toContain('orgsync_cs_x');
      expect(stored).not.toContain('opaque');
      expect(stored).not.toContain(jwt);
      expect(JSON.parse(stored)).toEqual({
        client_secret: '[redacted]',
        nested: { access_token: '[redacted]', note: '[redacted]' },
        scope: 'org:read',
      });
    });

    it('gives each event a UUIDv7 carrying its occurred_at, ascending in the order recorded', async () => {
      const log = auditLog();

      for (let i = 0; i < 50; i++) log.record({ action: `e.${i}` });
      clock.ms += 1;
      log.record({ action: 'later' });
      await log.flush();

      const events = repository.written();
      const ids = events.map((event) => event.id);
      expect([...ids].sort()).toEqual(ids);
      for (const event of events) {
        expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(parseInt(event.id.replace(/-/g, '').slice(0, 12), 16)).toBe(event.occurredAt.getTime());
      }
    });

    it('cuts values that would not fit their column rather than failing the batch', async () => {
      const log = auditLog();

      log.record({ action: 'token.refused', clientId: 'c'.repeat(500), sourceAddress: 'a'.repeat(100) });
      await log.flush();

      expect(repository.written()[0]).toMatchObject({ clientId: 'c'.repeat(128), sourceAddress: 'a'.repeat(64) });
    });

    it('replaces NUL characters from the request, which PostgreSQL would refuse with the whole batch', async () => {
      const log = auditLog();

      log.record({ action: 'token.refused', clientId: 'evil\u0000', targetId: '\u0000x' });
      await log.flush();

      expect(repository.written()[0]).toMatchObject({ clientId: 'evil\uFFFD', targetId: '\uFFFDx' });
    });
  });
});

import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { currentAuditContext } from './audit-context.js';
import type { AuditEventsRepository } from './audit-events.repository.js';
import type { AuditEventInput, AuditLog } from './audit-log.js';
import { AuditRetention, PRUNE_BATCH_SIZE } from './audit-retention.js';
import { AuditRetentionScheduler } from './audit-retention.scheduler.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 1);

class ManualClock extends Clock {
  ms = START;
  now(): Date {
    return new Date(this.ms);
  }
}

/** Events by occurred_at only: what retention looks at. */
class FakeEventsRepository {
  events: Date[] = [];
  batchSizes: number[] = [];
  async deleteOldestBefore(cutoff: Date, batchSize: number): Promise<number> {
    const old = this.events.filter((at) => at < cutoff).slice(0, batchSize);
    this.events = this.events.filter((at) => !old.includes(at));
    this.batchSizes.push(old.length);
    return old.length;
  }
}

describe('audit retention', () => {
  let clock: ManualClock;
  let repository: FakeEventsRepository;
  let audited: { event: AuditEventInput; via: string | undefined }[];
  let retention: AuditRetention;
  let scheduler: AuditRetentionScheduler;
  const config = AppConfig.fromEnvironment({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', AUDIT_RETENTION_DAYS: '30' });

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    clock = new ManualClock();
    repository = new FakeEventsRepository();
    audited = [];
    const audit = { record: (event: AuditEventInput) => void audited.push({ event, via: currentAuditContext()?.via }) };
    retention = new AuditRetention(repository as unknown as AuditEventsRepository, config, clock, audit as unknown as AuditLog);
    const registry = { addInterval: jest.fn(), doesExist: jest.fn(() => false), deleteInterval: jest.fn() };
    scheduler = new AuditRetentionScheduler(retention, registry as unknown as SchedulerRegistry);
  });

  afterEach(() => jest.restoreAllMocks());

  it('deletes only events older than AUDIT_RETENTION_DAYS, and more as time passes', async () => {
    repository.events = [40, 31, 29, 1].map((daysAgo) => new Date(START - daysAgo * DAY));

    await scheduler.tick();
    expect(repository.events).toEqual([new Date(START - 29 * DAY), new Date(START - DAY)]);

    clock.ms += 2 * DAY;
    await scheduler.tick();
    expect(repository.events).toEqual([new Date(START - DAY)]);
  });

  it('deletes in bounded batches until none are left', async () => {
    repository.events = Array.from({ length: 2 * PRUNE_BATCH_SIZE + 5 }, (_, i) => new Date(START - 100 * DAY + i));

    const result = await retention.prune();

    expect(result).toEqual({ deleted: 2 * PRUNE_BATCH_SIZE + 5, cutoff: new Date(START - 30 * DAY), complete: true });
    expect(repository.batchSizes).toEqual([PRUNE_BATCH_SIZE, PRUNE_BATCH_SIZE, 5]);
  });

  it('stops at the batch budget and reports the pass incomplete', async () => {
    repository.events = Array.from({ length: 3 * PRUNE_BATCH_SIZE }, (_, i) => new Date(START - 100 * DAY + i));

    const result = await retention.prune(2);

    expect(result).toMatchObject({ deleted: 2 * PRUNE_BATCH_SIZE, complete: false });
    expect(repository.events).toHaveLength(PRUNE_BATCH_SIZE);
  });

  it('audits a pass that deleted something, as a scheduled job', async () => {
    repository.events = [new Date(START - 31 * DAY)];

    await scheduler.tick();
    await scheduler.tick();

    expect(audited).toEqual([
      {
        event: {
          action: 'audit.pruned',
          targetType: 'audit_events',
          details: { deleted: 1, before: new Date(START - 30 * DAY).toISOString(), retention_days: 30 },
        },
        via: 'schedule',
      },
    ]);
  });

  it('registers an hourly interval at start-up and stops ticking at shutdown', async () => {
    scheduler.onApplicationBootstrap();
    await scheduler.onApplicationShutdown();
    repository.events = [new Date(START - 31 * DAY)];

    await scheduler.tick();

    expect(repository.events).toHaveLength(1);
  });
});

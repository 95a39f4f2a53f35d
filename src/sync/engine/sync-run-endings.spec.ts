import { jest } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import type { SyncMetrics } from '../../metrics/sync-metrics.js';
import { SyncConnectionEntity } from '../connections/sync-connection.entity.js';
import { initialCheckpoint } from '../runs/sync-checkpoint.js';
import { SyncRunEntity } from '../runs/sync-run.entity.js';
import type { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import type { SyncClaimsRepository } from './sync-claims.repository.js';
import type { DeletionPlan, SyncDeletions } from './sync-deletions.js';
import { SyncRunEndings } from './sync-run-endings.js';

const LEASED_AT = new Date('2026-03-01T12:00:00.000Z');
const DELETIONS_DONE_AT = new Date('2026-03-01T12:00:42.000Z');
const NOTHING_UNSEEN: DeletionPlan = { members: { live: 10, unseen: 0 }, groups: { live: 1, unseen: 0 } };

describe('SyncRunEndings.succeed', () => {
  const manager = {} as EntityManager;
  let clock: jest.Mocked<Pick<Clock, 'now'>>;
  let claims: jest.Mocked<Pick<SyncClaimsRepository, 'withLease' | 'release'>>;
  let runs: jest.Mocked<Pick<SyncRunsRepository, 'findQueued' | 'succeed'>>;
  let deletions: jest.Mocked<Pick<SyncDeletions, 'plan' | 'apply'>>;
  let metrics: jest.Mocked<Pick<SyncMetrics, 'runFinished'>>;
  let endings: SyncRunEndings;

  beforeEach(() => {
    clock = { now: jest.fn<Clock['now']>() };
    claims = {
      withLease: jest.fn((_lease, _ms, work) => work(manager, LEASED_AT)) as jest.Mocked<SyncClaimsRepository>['withLease'],
      release: jest.fn<SyncClaimsRepository['release']>().mockResolvedValue(true),
    };
    runs = {
      findQueued: jest.fn<SyncRunsRepository['findQueued']>().mockResolvedValue(null),
      succeed: jest.fn<SyncRunsRepository['succeed']>().mockResolvedValue(undefined),
    };
    deletions = {
      plan: jest.fn<SyncDeletions['plan']>().mockResolvedValue(NOTHING_UNSEEN),
      // The deletions take their time: the clock has moved on once they are done.
      apply: jest.fn<SyncDeletions['apply']>().mockImplementation(async () => {
        clock.now.mockReturnValue(DELETIONS_DONE_AT);
      }),
    };
    metrics = { runFinished: jest.fn<SyncMetrics['runFinished']>() };
    endings = new SyncRunEndings(
      {} as DataSource,
      claims as unknown as SyncClaimsRepository,
      runs as unknown as SyncRunsRepository,
      deletions as unknown as SyncDeletions,
      AppConfig.fromEnvironment({ NODE_ENV: 'test' }, '/tmp'),
      clock as unknown as Clock,
      metrics as unknown as SyncMetrics,
    );
  });

  function context() {
    const connection = Object.assign(new SyncConnectionEntity(), {
      id: 'connection-1',
      intervalSeconds: 3600,
      maxDeletePercent: 20,
      deletionsConfirmed: false,
      runsSinceFull: 3,
    });
    const run = Object.assign(new SyncRunEntity(), { id: 'run-1' });
    const checkpoint = { ...initialCheckpoint('full', undefined, null), stream: 'done' as const };
    return { connection, run, lease: { connectionId: connection.id, owner: 'worker', token: 1 }, checkpoint };
  }

  it('stamps the run finished once its deletions are done, so its duration includes them', async () => {
    await endings.succeed(context(), LEASED_AT);
    expect(deletions.apply).toHaveBeenCalledWith(manager, 'connection-1', 'run-1', LEASED_AT, NOTHING_UNSEEN);
    expect(runs.succeed).toHaveBeenCalledWith(manager, 'run-1', expect.anything(), DELETIONS_DONE_AT);
    expect(metrics.runFinished).toHaveBeenCalledWith('connection-1', 'succeeded', expect.anything(), LEASED_AT, DELETIONS_DONE_AT);
  });
});

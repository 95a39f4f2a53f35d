import { initialCheckpoint, serializeCheckpoint, takeOver } from '../sync-checkpoint.js';
import { SyncRunEntity } from '../sync-run.entity.js';
import { parseStats, toSyncRunResponse } from './sync-run.response.js';

const ZERO = { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 };

describe('parseStats', () => {
  it('reads the stats the worker writes', () => {
    const stats = {
      members: { fetched: 5, created: 1, updated: 2, deleted: 1, unchanged: 1 },
      groups: { ...ZERO, fetched: 2, unchanged: 2 },
    };
    expect(parseStats(JSON.stringify(stats))).toEqual(stats);
  });

  it.each(['', 'not json', 'null', '[]', '42', '{"members": "x"}'])('reads %j as all zeros', (text) => {
    expect(parseStats(text)).toEqual({ members: ZERO, groups: ZERO });
  });

  it('reads a count that is missing, negative, fractional or not a number as 0, and drops unknown keys', () => {
    const text = JSON.stringify({ members: { fetched: -1, created: 1.5, updated: '3', deleted: null, extra: 9 }, groups: { fetched: 4 } });
    expect(parseStats(text)).toEqual({ members: ZERO, groups: { ...ZERO, fetched: 4 } });
  });
});

describe('toSyncRunResponse', () => {
  const run = (checkpoint: string | null) =>
    Object.assign(new SyncRunEntity(), {
      id: '0190a0a0-0000-7000-8000-000000000001',
      connectionId: '0190a0a0-0000-7000-8000-000000000002',
      organizationId: '0190a0a0-0000-7000-8000-000000000003',
      trigger: 'schedule',
      status: 'running',
      mode: 'full',
      stats: JSON.stringify({ members: ZERO, groups: ZERO }),
      pages: 3,
      error: null,
      checkpoint,
      queuedAt: new Date('2025-01-01T00:00:00.000Z'),
      startedAt: new Date('2025-01-01T00:00:01.000Z'),
      finishedAt: null,
    });

  it('tells how often the run was taken over and when it was last resumed, never the checkpoint itself', () => {
    const resumed = takeOver(initialCheckpoint('full', undefined, null), new Date('2025-01-01T00:05:00.000Z'));
    const response = toSyncRunResponse(run(serializeCheckpoint(resumed)));
    expect(response).toMatchObject({ takeovers: 1, resumed_at: '2025-01-01T00:05:00.000Z' });
    expect(response).not.toHaveProperty('checkpoint');
  });

  it.each([null, 'not json'])('reads a run without a readable checkpoint (%j) as never taken over', (checkpoint) => {
    expect(toSyncRunResponse(run(checkpoint))).toMatchObject({ takeovers: 0, resumed_at: null });
  });
});

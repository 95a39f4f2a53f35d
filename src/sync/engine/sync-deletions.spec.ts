import { jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { exceedsDeleteLimit, SyncDeletions } from './sync-deletions.js';

describe('SyncDeletions.apply', () => {
  it('sends no statement at all when the listing saw every record (the usual full run)', async () => {
    const manager = { createQueryBuilder: jest.fn(), getRepository: jest.fn() };
    const plan = { members: { live: 100_000, unseen: 0 }, groups: { live: 1_000, unseen: 0 } };
    await new SyncDeletions().apply(manager as unknown as EntityManager, 'connection-1', 'run-1', new Date(), plan);
    expect(manager.createQueryBuilder).not.toHaveBeenCalled();
    expect(manager.getRepository).not.toHaveBeenCalled();
  });
});

describe('exceedsDeleteLimit', () => {
  it('trips only when more than the allowed share of live records would go', () => {
    expect(exceedsDeleteLimit({ live: 100, unseen: 0 }, 0)).toBe(false);
    expect(exceedsDeleteLimit({ live: 100, unseen: 20 }, 20)).toBe(false);
    expect(exceedsDeleteLimit({ live: 100, unseen: 21 }, 20)).toBe(true);
  });
});

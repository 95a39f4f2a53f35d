import {
  afterPage,
  initialCheckpoint,
  interrupted,
  isPoisoned,
  MAX_ABANDONMENTS,
  parseCheckpoint,
  serializeCheckpoint,
  type SyncCheckpoint,
  takeOver,
} from './sync-checkpoint.js';
import { emptyStats } from './sync-run.entity.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function statsWith(membersCreated: number) {
  const stats = emptyStats();
  stats.members.fetched = membersCreated;
  stats.members.created = membersCreated;
  return stats;
}

describe('a sync checkpoint', () => {
  it('starts at the first page of users, with the mode, since and watermark the run started with', () => {
    expect(initialCheckpoint('incremental', at(-5), at(0))).toEqual({
      mode: 'incremental',
      since: at(-5).toISOString(),
      stream: 'users',
      position: null,
      watermark: at(0).toISOString(),
      stats: emptyStats(),
      pages: 0,
      takeovers: 0,
      abandonments: 0,
      resumedAt: null,
      interrupted: false,
    });
    expect(initialCheckpoint('full', undefined, null)).toMatchObject({ since: null, watermark: null });
  });

  it('moves to the position after a page, taking its stats and the newest lastModified seen', () => {
    const start = initialCheckpoint('full', undefined, at(1));
    const next = afterPage(start, { stream: 'users', next: 'index:101', lastModified: [at(3), null, at(2)], stats: statsWith(100) });
    expect(next).toMatchObject({ stream: 'users', position: 'index:101', watermark: at(3).toISOString(), pages: 1 });
    expect(next.stats.members.created).toBe(100);
    // Older records never move the watermark back.
    const later = afterPage(next, { stream: 'users', next: 'index:201', lastModified: [at(0)], stats: statsWith(200) });
    expect(later).toMatchObject({ position: 'index:201', watermark: at(3).toISOString(), pages: 2 });
  });

  it('goes on to the first page of groups after the last page of users, and is done after the last page of groups', () => {
    const start = initialCheckpoint('full', undefined, null);
    const usersDone = afterPage(start, { stream: 'users', next: null, lastModified: [], stats: emptyStats() });
    expect(usersDone).toMatchObject({ stream: 'groups', position: null, watermark: null });
    const groupsDone = afterPage(usersDone, { stream: 'groups', next: null, lastModified: [at(4)], stats: emptyStats() });
    expect(groupsDone).toMatchObject({ stream: 'done', position: null, watermark: at(4).toISOString(), pages: 2 });
  });

  it('counts a take-over from a worker that vanished as an abandonment, and one after a shutdown’s hand-over not', () => {
    const running = afterPage(initialCheckpoint('full', undefined, null), {
      stream: 'users',
      next: 'cursor:abc',
      lastModified: [],
      stats: statsWith(100),
    });
    const afterCrash = takeOver(running, at(10));
    expect(afterCrash).toMatchObject({ takeovers: 1, abandonments: 1, resumedAt: at(10).toISOString(), interrupted: false });
    // Resuming changes nothing about where the listing stands.
    expect(afterCrash).toMatchObject({ stream: 'users', position: 'cursor:abc', pages: 1, stats: running.stats });

    const afterShutdown = takeOver(interrupted(afterCrash), at(20));
    expect(afterShutdown).toMatchObject({ takeovers: 2, abandonments: 1, resumedAt: at(20).toISOString(), interrupted: false });
  });

  it(`is poisoned once its workers vanished more than ${MAX_ABANDONMENTS} times, never by shutdowns`, () => {
    let checkpoint: SyncCheckpoint = initialCheckpoint('full', undefined, null);
    for (let i = 1; i <= MAX_ABANDONMENTS; i++) {
      checkpoint = takeOver(checkpoint, at(i));
      expect(isPoisoned(checkpoint)).toBe(false);
    }
    expect(isPoisoned(takeOver(checkpoint, at(9)))).toBe(true);

    let shutdowns: SyncCheckpoint = initialCheckpoint('full', undefined, null);
    for (let i = 1; i <= 10; i++) shutdowns = takeOver(interrupted(shutdowns), at(i));
    expect(shutdowns).toMatchObject({ takeovers: 10, abandonments: 0 });
    expect(isPoisoned(shutdowns)).toBe(false);
  });

  it('reads back what it wrote', () => {
    const checkpoint = takeOver(
      afterPage(initialCheckpoint('incremental', at(-1), at(0)), {
        stream: 'users',
        next: 'cursor:x.y',
        lastModified: [at(2)],
        stats: statsWith(5),
      }),
      at(3),
    );
    expect(parseCheckpoint(serializeCheckpoint(checkpoint))).toEqual(checkpoint);
  });

  it.each([
    ['nothing', null],
    ['text that is not JSON', '{"mode":'],
    ['an array', '[]'],
    ['an unknown mode', JSON.stringify({ ...initialCheckpoint('full', undefined, null), mode: 'partial' })],
    ['an unknown stream', JSON.stringify({ ...initialCheckpoint('full', undefined, null), stream: 'roles' })],
    ['a watermark that is not an instant', JSON.stringify({ ...initialCheckpoint('full', undefined, null), watermark: 'yesterday' })],
    ['a negative page count', JSON.stringify({ ...initialCheckpoint('full', undefined, null), pages: -1 })],
    ['stats without groups', JSON.stringify({ ...initialCheckpoint('full', undefined, null), stats: { members: emptyStats().members } })],
    ['a position that is not text', JSON.stringify({ ...initialCheckpoint('full', undefined, null), position: 101 })],
  ])('reads %s as no checkpoint, so the run starts its listing over', (_case, text) => {
    expect(parseCheckpoint(text)).toBeNull();
  });
});

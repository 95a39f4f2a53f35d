import { parseStats } from './sync-run.response.js';

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

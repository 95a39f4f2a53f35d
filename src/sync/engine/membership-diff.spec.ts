import { diffMemberships, groupMemberships } from './membership-diff.js';

describe('diffMemberships', () => {
  it('adds every member of a group that holds none yet', () => {
    const diff = diffMemberships(new Map([['g1', ['m1', 'm2']]]), new Map());
    expect(diff.adds).toEqual([
      { groupId: 'g1', memberId: 'm1' },
      { groupId: 'g1', memberId: 'm2' },
    ]);
    expect(diff.removes).toEqual([]);
    expect([...diff.changedGroups]).toEqual(['g1']);
  });

  it('writes only the difference: one member in, one member out', () => {
    const diff = diffMemberships(
      new Map([['g1', ['m1', 'm3']]]),
      groupMemberships([
        { groupId: 'g1', memberId: 'm1' },
        { groupId: 'g1', memberId: 'm2' },
      ]),
    );
    expect(diff.adds).toEqual([{ groupId: 'g1', memberId: 'm3' }]);
    expect(diff.removes).toEqual([{ groupId: 'g1', memberId: 'm2' }]);
    expect([...diff.changedGroups]).toEqual(['g1']);
  });

  it('finds no change when the same members come in another order, or twice', () => {
    const diff = diffMemberships(
      new Map([['g1', ['m2', 'm1', 'm2']]]),
      groupMemberships([
        { groupId: 'g1', memberId: 'm1' },
        { groupId: 'g1', memberId: 'm2' },
      ]),
    );
    expect(diff).toEqual({ adds: [], removes: [], changedGroups: new Set() });
  });

  it('empties a group the upstream lists without members', () => {
    const diff = diffMemberships(new Map([['g1', []]]), groupMemberships([{ groupId: 'g1', memberId: 'm1' }]));
    expect(diff.removes).toEqual([{ groupId: 'g1', memberId: 'm1' }]);
    expect([...diff.changedGroups]).toEqual(['g1']);
  });

  it('keeps groups apart: a change to one marks only that one, and leaves groups not on the page alone', () => {
    const current = groupMemberships([
      { groupId: 'g1', memberId: 'm1' },
      { groupId: 'g2', memberId: 'm1' },
      { groupId: 'g3', memberId: 'm9' },
    ]);
    const diff = diffMemberships(
      new Map([
        ['g1', ['m1']],
        ['g2', ['m1', 'm2']],
      ]),
      current,
    );
    expect(diff.adds).toEqual([{ groupId: 'g2', memberId: 'm2' }]);
    expect(diff.removes).toEqual([]);
    expect([...diff.changedGroups]).toEqual(['g2']);
  });
});

describe('groupMemberships', () => {
  it('groups stored rows by group, without duplicates', () => {
    const byGroup = groupMemberships([
      { groupId: 'g1', memberId: 'm1' },
      { groupId: 'g2', memberId: 'm2' },
      { groupId: 'g1', memberId: 'm1' },
    ]);
    expect(byGroup).toEqual(
      new Map([
        ['g1', new Set(['m1'])],
        ['g2', new Set(['m2'])],
      ]),
    );
  });
});

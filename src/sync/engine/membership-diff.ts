/** One membership row: a member in a group. */
export interface Membership {
  readonly groupId: string;
  readonly memberId: string;
}

/** What a page's groups need written to their memberships, and which of the groups changed. */
export interface MembershipDiff {
  readonly adds: Membership[];
  readonly removes: Membership[];
  /** Groups whose membership differs from what the database holds. */
  readonly changedGroups: Set<string>;
}

/**
 * Compares, per group, the members the upstream lists with the rows the
 * database holds, in memory: only the difference is written (a large group
 * with one member more costs one row, not a rewrite of all of them).
 *
 * @param desired member IDs per group as the upstream has them (duplicates ignored)
 * @param current membership rows of those groups as stored (groups absent here have none)
 */
export function diffMemberships(
  desired: ReadonlyMap<string, readonly string[]>,
  current: ReadonlyMap<string, ReadonlySet<string>>,
): MembershipDiff {
  const adds: Membership[] = [];
  const removes: Membership[] = [];
  const changedGroups = new Set<string>();
  for (const [groupId, memberIds] of desired) {
    const stored = current.get(groupId) ?? new Set<string>();
    const wanted = new Set(memberIds);
    const differencesBefore = adds.length + removes.length;
    for (const memberId of wanted) if (!stored.has(memberId)) adds.push({ groupId, memberId });
    for (const memberId of stored) if (!wanted.has(memberId)) removes.push({ groupId, memberId });
    if (adds.length + removes.length > differencesBefore) changedGroups.add(groupId);
  }
  return { adds, removes, changedGroups };
}

/** Stored membership rows grouped by group, as diffMemberships reads them. */
export function groupMemberships(rows: Iterable<Membership>): Map<string, Set<string>> {
  const byGroup = new Map<string, Set<string>>();
  for (const { groupId, memberId } of rows) {
    let members = byGroup.get(groupId);
    if (!members) byGroup.set(groupId, (members = new Set()));
    members.add(memberId);
  }
  return byGroup;
}

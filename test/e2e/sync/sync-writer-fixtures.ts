import type { UpstreamGroup, UpstreamUser } from '../../../src/sync/connectors/sync-connector.js';

/** Values a directory may well hold: quotes, SQL, placeholder look-alikes, scripts and emoji, the longest allowed. */
export const HOSTILE_VALUES = [
  `O'Brien "the ''quoted''" \\back\\slash`,
  `'); DROP TABLE members; --`,
  '? ?? $1 $2::text :name @p ${x} %s',
  'Zoë Åström 山田太郎 مرحبا 👩🏽‍💻 e\u0301 \u202Eevil',
  'x'.repeat(255),
] as const;

/** An upstream user as a connector yields it; `n` makes its ID, name and email unique. */
export function upstreamUser(n: number | string, overrides: Partial<UpstreamUser> = {}): UpstreamUser {
  return {
    externalId: `ext-${n}`,
    userName: `user-${n}`,
    email: `User.${n}@Example.test`,
    displayName: `User ${n}`,
    givenName: 'Given',
    familyName: `Family ${n}`,
    title: 'Engineer',
    department: 'R&D',
    active: true,
    lastModified: new Date('2026-01-01T00:00:00.000Z'),
    ...overrides,
  };
}

export function upstreamUsers(count: number, from = 1): UpstreamUser[] {
  return Array.from({ length: count }, (_, i) => upstreamUser(from + i));
}

export function upstreamGroup(
  externalId: string,
  memberExternalIds: readonly string[],
  displayName = `Group ${externalId}`,
): UpstreamGroup {
  return { externalId, displayName, memberExternalIds, lastModified: new Date('2026-01-01T00:00:00.000Z') };
}

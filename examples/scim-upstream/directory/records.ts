/**
 * What the directory stores: flat records, compact enough that 100,000 users
 * fit comfortably in memory. They become SCIM resources only when served
 * (scim/scim-resources.ts). Timestamps are epoch milliseconds.
 */
export interface UserRecord {
  readonly id: string;
  readonly externalId: string | null;
  readonly userName: string;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly displayName: string | null;
  readonly email: string | null;
  readonly active: boolean;
  readonly title: string | null;
  readonly department: string | null;
  readonly created: number;
  readonly lastModified: number;
}

export interface GroupRecord {
  readonly id: string;
  readonly externalId: string | null;
  readonly displayName: string;
  /** User ids, in the order they were added. */
  readonly members: readonly string[];
  readonly created: number;
  readonly lastModified: number;
}

/** The fields a test may set on a user; anything left out is generated (addUser) or kept (updateUser). */
export type UserInput = Partial<Omit<UserRecord, 'created' | 'lastModified'>>;
export type UserChanges = Partial<Omit<UserRecord, 'id' | 'created' | 'lastModified'>>;

export interface GroupInput {
  readonly id?: string;
  readonly externalId?: string | null;
  readonly displayName?: string;
  readonly members?: readonly string[];
}

export interface GroupChanges {
  readonly externalId?: string | null;
  readonly displayName?: string;
  /** Replaces the member list. */
  readonly members?: readonly string[];
  readonly addMembers?: readonly string[];
  readonly removeMembers?: readonly string[];
}

/** When a write happens: the directory clock's time unless given. */
export interface WriteOptions {
  readonly at?: Date | string;
}

type UserFields = Omit<UserRecord, 'created' | 'lastModified'>;
type GroupFields = Omit<GroupRecord, 'created' | 'lastModified'>;

/**
 * Builds a record with every field in a fixed order: records then share one
 * hidden class, which keeps scans over 100,000 of them fast. A field given as
 * undefined keeps its base value; null clears it.
 */
export function userRecord(base: UserFields, changes: UserChanges, created: number, lastModified: number): UserRecord {
  return {
    id: base.id,
    externalId: changes.externalId !== undefined ? changes.externalId : base.externalId,
    userName: changes.userName ?? base.userName,
    givenName: changes.givenName !== undefined ? changes.givenName : base.givenName,
    familyName: changes.familyName !== undefined ? changes.familyName : base.familyName,
    displayName: changes.displayName !== undefined ? changes.displayName : base.displayName,
    email: changes.email !== undefined ? changes.email : base.email,
    active: changes.active ?? base.active,
    title: changes.title !== undefined ? changes.title : base.title,
    department: changes.department !== undefined ? changes.department : base.department,
    created,
    lastModified,
  };
}

export function groupRecord(
  base: GroupFields,
  changes: Omit<GroupChanges, 'addMembers' | 'removeMembers'>,
  created: number,
  lastModified: number,
): GroupRecord {
  return {
    id: base.id,
    externalId: changes.externalId !== undefined ? changes.externalId : base.externalId,
    displayName: changes.displayName ?? base.displayName,
    members: changes.members ?? base.members,
    created,
    lastModified,
  };
}

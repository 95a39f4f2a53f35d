import { toScimGroup, toScimUser, type ScimGroup, type ScimUser } from '../scim/scim-resources.js';
import { DirectoryClock, toMillis } from './directory-clock.js';
import { DirectoryGenerator } from './generator.js';
import {
  type GroupChanges,
  type GroupInput,
  type GroupRecord,
  groupRecord,
  type UserChanges,
  type UserInput,
  type UserRecord,
  userRecord,
  type WriteOptions,
} from './records.js';
import { SortedCollection } from './sorted-collection.js';

export interface SeedOptions {
  readonly users: number;
  readonly groups?: number;
  readonly membersPerGroup?: number;
}

export interface SeedResult {
  readonly userIds: string[];
  readonly groupIds: string[];
}

/**
 * The upstream's people and groups, in memory, edited by tests. Every write
 * stamps meta.lastModified from `clock` (or the `at` it is given), which is
 * what `filter=meta.lastModified ge "…"` selects on.
 */
export class ScimDirectory {
  readonly clock = new DirectoryClock();
  readonly users = new SortedCollection<UserRecord>();
  readonly groups = new SortedCollection<GroupRecord>();
  /** The SCIM base URL, for meta.location and $ref; set once the server listens. */
  baseUrl = 'http://127.0.0.1/scim/v2';
  private readonly generator: DirectoryGenerator;
  private generatedUsers = 0;
  private generatedGroups = 0;

  constructor(seed: string | number = 'orgsync') {
    this.generator = new DirectoryGenerator(String(seed));
  }

  get userCount(): number {
    return this.users.size;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** Adds `users` generated users and `groups` groups of `membersPerGroup` of them, deterministically. */
  seed(options: SeedOptions, write: WriteOptions = {}): SeedResult {
    const at = this.timeOf(write);
    const users = Array.from({ length: options.users }, () => this.newUser({}, at));
    this.users.insertMany(users);
    const pool = users.length > 0 ? users : this.users.all();
    const perGroup = Math.min(options.membersPerGroup ?? 0, pool.length);
    const groups = Array.from({ length: options.groups ?? 0 }, () => {
      const { group, memberOffset } = this.generator.group((this.generatedGroups += 1));
      const members = Array.from({ length: perGroup }, (_, i) => (pool[(memberOffset + i) % pool.length] as UserRecord).id);
      return groupRecord({ ...group, members }, {}, at, at);
    });
    this.groups.insertMany(groups);
    return { userIds: users.map((user) => user.id), groupIds: groups.map((group) => group.id) };
  }

  /** Adds a user; attributes not given are generated. */
  addUser(input: UserInput = {}, write: WriteOptions = {}): ScimUser {
    const user = this.newUser(input, this.timeOf(write));
    this.users.insert(user);
    return this.serializeUser(user);
  }

  updateUser(id: string, changes: UserChanges, write: WriteOptions = {}): ScimUser {
    const current = this.requireUser(id);
    const user = userRecord(current, changes, current.created, this.timeOf(write));
    this.users.replace(user);
    return this.serializeUser(user);
  }

  /** Deletes a user and, as SCIM providers do, its group memberships (which modifies those groups). */
  removeUser(id: string, write: WriteOptions = {}): void {
    this.users.remove(this.requireUser(id).id);
    const at = this.timeOf(write);
    for (const group of this.groups.all()) {
      if (group.members.includes(id)) {
        this.groups.replace(groupRecord(group, { members: group.members.filter((member) => member !== id) }, group.created, at));
      }
    }
  }

  getUser(id: string): ScimUser | undefined {
    const user = this.users.get(id);
    return user && this.serializeUser(user);
  }

  /** Every user in listing order (by id). */
  listUsers(): ScimUser[] {
    return this.users.all().map((user) => this.serializeUser(user));
  }

  addGroup(input: GroupInput = {}, write: WriteOptions = {}): ScimGroup {
    const at = this.timeOf(write);
    const generated = this.generator.group((this.generatedGroups += 1)).group;
    const base = { ...generated, id: input.id ?? generated.id, members: [] };
    const group = groupRecord(base, { ...input, members: this.requireUsers(input.members ?? []) }, at, at);
    this.groups.insert(group);
    return this.serializeGroup(group);
  }

  updateGroup(id: string, changes: GroupChanges, write: WriteOptions = {}): ScimGroup {
    const current = this.requireGroup(id);
    const removed = new Set(changes.removeMembers ?? []);
    const members = [...(changes.members ?? current.members), ...(changes.addMembers ?? [])].filter(
      (member, index, all) => !removed.has(member) && all.indexOf(member) === index,
    );
    const group = groupRecord(current, { ...changes, members: this.requireUsers(members) }, current.created, this.timeOf(write));
    this.groups.replace(group);
    return this.serializeGroup(group);
  }

  removeGroup(id: string): void {
    this.groups.remove(this.requireGroup(id).id);
  }

  getGroup(id: string): ScimGroup | undefined {
    const group = this.groups.get(id);
    return group && this.serializeGroup(group);
  }

  listGroups(): ScimGroup[] {
    return this.groups.all().map((group) => this.serializeGroup(group));
  }

  serializeUser(user: UserRecord): ScimUser {
    return toScimUser(user, this.baseUrl);
  }

  serializeGroup(group: GroupRecord): ScimGroup {
    return toScimGroup(group, this.baseUrl, (userId) => {
      const user = this.users.get(userId);
      return user && (user.displayName ?? user.userName);
    });
  }

  private newUser(input: UserInput, at: number): UserRecord {
    const generated = this.generator.user((this.generatedUsers += 1));
    const email = input.userName !== undefined && input.email === undefined ? `${input.userName}@example.com` : generated.email;
    return userRecord({ ...generated, id: input.id ?? generated.id, email }, input, at, at);
  }

  private requireUser(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new Error(`No user with id ${id}.`);
    return user;
  }

  private requireUsers(ids: readonly string[]): string[] {
    for (const id of ids) this.requireUser(id);
    return [...ids];
  }

  private requireGroup(id: string): GroupRecord {
    const group = this.groups.get(id);
    if (!group) throw new Error(`No group with id ${id}.`);
    return group;
  }

  private timeOf(write: WriteOptions): number {
    return write.at === undefined ? this.clock.now() : toMillis(write.at);
  }
}

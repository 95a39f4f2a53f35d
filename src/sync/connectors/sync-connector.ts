/**
 * What a connector yields: people and groups as the system of record has
 * them, in pages. The scheduler and the runner know only this interface, so a
 * second connector (an HR system's API, LDAP) plugs in without touching them.
 */
export interface UpstreamUser {
  readonly externalId: string;
  readonly userName: string;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly title: string | null;
  readonly department: string | null;
  readonly active: boolean;
  readonly lastModified: Date | null;
}

export interface UpstreamGroup {
  readonly externalId: string;
  readonly displayName: string;
  /** External IDs of the group's members (users of the same upstream). */
  readonly memberExternalIds: readonly string[];
  readonly lastModified: Date | null;
}

export interface ConnectorSession {
  /** Whether the upstream can list only what changed since an instant. */
  readonly supportsIncremental: boolean;
  /** Pages of users; with `since`, only those modified at or after it. */
  users(since?: Date): AsyncIterable<UpstreamUser[]>;
  groups(since?: Date): AsyncIterable<UpstreamGroup[]>;
}

export interface ConnectorContext {
  readonly baseUrl: string;
  /** Performs an authenticated GET and returns the parsed JSON; handles tokens, retries and timeouts. */
  getJson(url: string): Promise<unknown>;
}

export interface SyncConnector {
  readonly kind: string;
  open(context: ConnectorContext): Promise<ConnectorSession>;
}

export const SYNC_CONNECTORS = Symbol('SYNC_CONNECTORS');

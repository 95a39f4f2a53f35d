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

/** One page of a listing, and where the listing goes on after it. */
export interface ListPage<T> {
  readonly items: readonly T[];
  /**
   * The position after this page: connector-defined text that a later listing
   * (another worker's, after a take-over) may start from. Null when this page
   * was the last.
   */
  readonly next: string | null;
}

export interface ListOptions {
  /** Only records modified at or after this instant. */
  readonly since?: Date;
  /**
   * Start at a `next` an earlier listing with the same `since` handed out,
   * instead of at the first page. A position the upstream no longer honours
   * (an expired cursor) makes the connector start the listing over: upserts
   * make reading a record twice harmless.
   */
  readonly from?: string;
}

export interface ConnectorSession {
  /** Whether the upstream can list only what changed since an instant. */
  readonly supportsIncremental: boolean;
  users(options?: ListOptions): AsyncIterable<ListPage<UpstreamUser>>;
  groups(options?: ListOptions): AsyncIterable<ListPage<UpstreamGroup>>;
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

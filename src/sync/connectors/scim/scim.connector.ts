import { Injectable, Logger } from '@nestjs/common';
import { UpstreamError, UpstreamRefusedError } from '../../upstream/upstream-errors.js';
import type {
  ConnectorContext,
  ConnectorSession,
  ListOptions,
  ListPage,
  SyncConnector,
  UpstreamGroup,
  UpstreamUser,
} from '../sync-connector.js';
import { toUpstreamGroup, toUpstreamUser } from './scim-mapping.js';
import { formatPosition, parsePosition } from './scim-position.js';

type Resource = 'Users' | 'Groups';

/**
 * The page size asked for, per resource, lowered to the provider's filter.maxResults or RFC 9865
 * maxPageSize when it advertises one (RFC 7644 section 3.4.2.4: it may return fewer; the listing
 * follows what it returns). Large pages mean fewer round trips and page transactions; a page of
 * 1,000 users is well under a megabyte. A group carries its members, so a page of groups is
 * smaller: 1,000 groups of 50 members would be 50,000 member references in memory at once.
 */
const PAGE_SIZE: Readonly<Record<Resource, number>> = { Users: 1000, Groups: 100 };

interface ListResponse {
  readonly resources: unknown[];
  readonly totalResults: number;
  readonly nextCursor: string | undefined;
}

interface ProviderFeatures {
  readonly filter: boolean;
  readonly cursor: boolean;
  /** The largest page the provider serves, when it says. */
  readonly maxPageSize: number | undefined;
}

/**
 * SCIM 2.0 (RFC 7643, RFC 7644) as a sync source. Lists /Users and /Groups
 * page by page: RFC 9865 cursors when the provider offers them, else
 * startIndex/count (RFC 7644 section 3.4.2.4). Incremental listings filter on
 * meta.lastModified when the provider supports filtering. Every page carries
 * the position after it (scim-position.ts), so a worker taking a run over
 * lists on from where its predecessor's last committed page left off.
 */
@Injectable()
export class ScimConnector implements SyncConnector {
  readonly kind = 'scim';
  private readonly logger = new Logger('Sync');

  async open(context: ConnectorContext): Promise<ConnectorSession> {
    const features = readFeatures(await context.getJson(`${context.baseUrl}/ServiceProviderConfig`));
    return {
      supportsIncremental: features.filter,
      users: (options: ListOptions = {}): AsyncIterable<ListPage<UpstreamUser>> =>
        this.pages(context, features, 'Users', toUpstreamUser, options),
      groups: (options: ListOptions = {}): AsyncIterable<ListPage<UpstreamGroup>> =>
        this.pages(context, features, 'Groups', toUpstreamGroup, options),
    };
  }

  private pages<T>(
    context: ConnectorContext,
    features: ProviderFeatures,
    resource: Resource,
    map: (r: unknown) => T,
    options: ListOptions,
  ): AsyncIterable<ListPage<T>> {
    const query = new URLSearchParams({ count: String(Math.min(PAGE_SIZE[resource], features.maxPageSize ?? Infinity)) });
    if (options.since) query.set('filter', `meta.lastModified ge "${options.since.toISOString()}"`);
    const list = async (): Promise<ListResponse> => readList(await context.getJson(`${context.baseUrl}/${resource}?${query}`));
    const from = options.from === undefined ? undefined : parsePosition(options.from);
    if (options.from !== undefined && (from === undefined || 'cursor' in from !== features.cursor)) {
      this.logger.warn(
        `The ${resource} listing stopped at a position that does not fit how the upstream pages now; listing again from the start.`,
      );
    }
    if (features.cursor) return this.cursorPages(query, list, resource, map, from && 'cursor' in from ? from.cursor : undefined);
    return this.indexPages(query, list, map, from && 'startIndex' in from ? from.startIndex : 1);
  }

  /** RFC 9865: every page but the last names the cursor of the next. */
  private async *cursorPages<T>(
    query: URLSearchParams,
    list: () => Promise<ListResponse>,
    resource: Resource,
    map: (r: unknown) => T,
    resumeAt: string | undefined,
  ): AsyncIterable<ListPage<T>> {
    let cursor = resumeAt ?? '';
    for (let first = true; ; first = false) {
      query.set('cursor', cursor);
      let page: ListResponse;
      try {
        page = await list();
      } catch (error) {
        // RFC 9865 section 2: cursors expire, and a provider may forget them. A listing resumed
        // from a stale cursor starts over, in the same run, rather than failing it.
        const stale = staleCursor(error);
        if (!first || cursor === '' || stale === undefined) throw error;
        this.logger.warn(
          `The upstream refused the cursor the ${resource} listing stopped at (${stale}); listing ${resource} again from the start.`,
        );
        cursor = '';
        continue;
      }
      const next = page.resources.length > 0 ? page.nextCursor : undefined;
      yield { items: page.resources.map(map), next: next === undefined ? null : formatPosition({ cursor: next }) };
      if (next === undefined) return;
      cursor = next;
    }
  }

  /** RFC 7644 section 3.4.2.4: 1-based startIndex, until a page comes back empty or past totalResults. */
  private async *indexPages<T>(
    query: URLSearchParams,
    list: () => Promise<ListResponse>,
    map: (r: unknown) => T,
    from: number,
  ): AsyncIterable<ListPage<T>> {
    for (let startIndex = from; ;) {
      query.set('startIndex', String(startIndex));
      const page = await list();
      startIndex += page.resources.length;
      const last = page.resources.length === 0 || startIndex > page.totalResults;
      yield { items: page.resources.map(map), next: last ? null : formatPosition({ startIndex }) };
      if (last) return;
    }
  }
}

/** The scimType of a refusal of a cursor (RFC 9865 section 2), else undefined. */
function staleCursor(error: unknown): string | undefined {
  if (!(error instanceof UpstreamRefusedError) || error.status !== 400) return undefined;
  return error.scimType === 'expiredCursor' || error.scimType === 'invalidCursor' ? error.scimType : undefined;
}

function readFeatures(body: unknown): ProviderFeatures {
  const config = (body ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const maxResults = Number(config.filter?.maxResults);
  const maxPageSize = Number(config.pagination?.maxPageSize);
  const caps = [maxResults, maxPageSize].filter((n) => Number.isInteger(n) && n > 0);
  return {
    filter: config.filter?.supported === true,
    cursor: config.pagination?.cursor === true,
    maxPageSize: caps.length > 0 ? Math.min(...caps) : undefined,
  };
}

function readList(body: unknown): ListResponse {
  const list = (body ?? {}) as Record<string, unknown>;
  const resources = list.Resources ?? [];
  if (!Array.isArray(resources) || typeof list.totalResults !== 'number') {
    throw new UpstreamError('The upstream answered a list request with something that is not a SCIM ListResponse', false);
  }
  return { resources, totalResults: list.totalResults, nextCursor: typeof list.nextCursor === 'string' ? list.nextCursor : undefined };
}

import { Injectable } from '@nestjs/common';
import { UpstreamError } from '../../upstream/upstream-errors.js';
import type { ConnectorContext, ConnectorSession, SyncConnector, UpstreamGroup, UpstreamUser } from '../sync-connector.js';
import { toUpstreamGroup, toUpstreamUser } from './scim-mapping.js';

const PAGE_SIZE = 500;

interface ListResponse {
  readonly resources: unknown[];
  readonly totalResults: number;
  readonly nextCursor: string | undefined;
}

interface ProviderFeatures {
  readonly filter: boolean;
  readonly cursor: boolean;
  readonly pageSize: number;
}

/**
 * SCIM 2.0 (RFC 7643, RFC 7644) as a sync source. Lists /Users and /Groups
 * page by page: RFC 9865 cursors when the provider offers them, else
 * startIndex/count (RFC 7644 section 3.4.2.4). Incremental listings filter on
 * meta.lastModified when the provider supports filtering.
 */
@Injectable()
export class ScimConnector implements SyncConnector {
  readonly kind = 'scim';

  async open(context: ConnectorContext): Promise<ConnectorSession> {
    const features = readFeatures(await context.getJson(`${context.baseUrl}/ServiceProviderConfig`));
    const list = <T>(resource: 'Users' | 'Groups', map: (r: unknown) => T, since?: Date) =>
      this.pages(context, features, resource, map, since);
    return {
      supportsIncremental: features.filter,
      users: (since?: Date): AsyncIterable<UpstreamUser[]> => list('Users', toUpstreamUser, since),
      groups: (since?: Date): AsyncIterable<UpstreamGroup[]> => list('Groups', toUpstreamGroup, since),
    };
  }

  private async *pages<T>(
    context: ConnectorContext,
    features: ProviderFeatures,
    resource: 'Users' | 'Groups',
    map: (r: unknown) => T,
    since?: Date,
  ): AsyncIterable<T[]> {
    const query = new URLSearchParams({ count: String(features.pageSize) });
    if (since) query.set('filter', `meta.lastModified ge "${since.toISOString()}"`);
    if (features.cursor) {
      query.set('cursor', '');
      for (;;) {
        const page = readList(await context.getJson(`${context.baseUrl}/${resource}?${query}`));
        yield page.resources.map(map);
        if (page.nextCursor === undefined || page.resources.length === 0) return;
        query.set('cursor', page.nextCursor);
      }
    }
    for (let startIndex = 1; ;) {
      query.set('startIndex', String(startIndex));
      const page = readList(await context.getJson(`${context.baseUrl}/${resource}?${query}`));
      yield page.resources.map(map);
      startIndex += page.resources.length;
      if (page.resources.length === 0 || startIndex > page.totalResults) return;
    }
  }
}

function readFeatures(body: unknown): ProviderFeatures {
  const config = (body ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const maxResults = Number(config.filter?.maxResults);
  const maxPageSize = Number(config.pagination?.maxPageSize);
  const caps = [PAGE_SIZE, maxResults, maxPageSize].filter((n) => Number.isInteger(n) && n > 0);
  return { filter: config.filter?.supported === true, cursor: config.pagination?.cursor === true, pageSize: Math.min(...caps) };
}

function readList(body: unknown): ListResponse {
  const list = (body ?? {}) as Record<string, unknown>;
  const resources = list.Resources ?? [];
  if (!Array.isArray(resources) || typeof list.totalResults !== 'number') {
    throw new UpstreamError('The upstream answered a list request with something that is not a SCIM ListResponse', false);
  }
  return { resources, totalResults: list.totalResults, nextCursor: typeof list.nextCursor === 'string' ? list.nextCursor : undefined };
}

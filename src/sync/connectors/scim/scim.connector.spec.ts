import { UpstreamRefusedError } from '../../upstream/upstream-errors.js';
import type { ConnectorContext, ListOptions, ListPage, UpstreamUser } from '../sync-connector.js';
import { ScimConnector } from './scim.connector.js';
import { formatPosition, parsePosition } from './scim-position.js';

const BASE = 'https://idp.test/scim/v2';
const USERS = Array.from({ length: 25 }, (_, i) => ({ id: `u${String(i + 1).padStart(2, '0')}`, userName: `user${i + 1}` }));

/**
 * A SCIM provider in memory, pages of 10: index paging, or RFC 9865 cursors
 * ("after:<id>") when `cursor` is set. A cursor in `stale` is refused as expired, once: the cursors it
 * hands out later are new ones.
 */
function provider(options: { cursor: boolean; stale?: Set<string> }) {
  const requests: URLSearchParams[] = [];
  const context: ConnectorContext = {
    baseUrl: BASE,
    getJson: async (url) => {
      const { pathname, searchParams } = new URL(url);
      if (pathname.endsWith('/ServiceProviderConfig')) {
        return { filter: { supported: true, maxResults: 10 }, pagination: { cursor: options.cursor, index: true } };
      }
      requests.push(searchParams);
      const count = Number(searchParams.get('count'));
      if (options.cursor) {
        const cursor = searchParams.get('cursor') ?? '';
        if (options.stale?.delete(cursor)) throw new UpstreamRefusedError('The upstream answered 400: expiredCursor', 400, 'expiredCursor');
        const from = cursor === '' ? 0 : USERS.findIndex((user) => user.id === cursor.slice('after:'.length)) + 1;
        const page = USERS.slice(from, from + count);
        const more = from + count < USERS.length;
        return { totalResults: USERS.length, Resources: page, ...(more ? { nextCursor: `after:${page.at(-1)!.id}` } : {}) };
      }
      const startIndex = Number(searchParams.get('startIndex'));
      return { totalResults: USERS.length, startIndex, Resources: USERS.slice(startIndex - 1, startIndex - 1 + count) };
    },
  };
  return { context, requests };
}

async function collect(pages: AsyncIterable<ListPage<UpstreamUser>>): Promise<Array<{ ids: string[]; next: string | null }>> {
  const seen: Array<{ ids: string[]; next: string | null }> = [];
  for await (const page of pages) seen.push({ ids: page.items.map((user) => user.externalId), next: page.next });
  return seen;
}

async function listUsers(context: ConnectorContext, options: ListOptions = {}) {
  const session = await new ScimConnector().open(context);
  return collect(session.users(options));
}

describe('ScimConnector listing positions', () => {
  it('hands out the next startIndex with every page of an index-paged listing, and null after the last', async () => {
    const { context } = provider({ cursor: false });
    const pages = await listUsers(context);
    expect(pages.map((page) => page.next)).toEqual(['index:11', 'index:21', null]);
    expect(pages.flatMap((page) => page.ids)).toEqual(USERS.map((user) => user.id));
  });

  it('resumes an index-paged listing at the startIndex it was given, asking for no page before it', async () => {
    const { context, requests } = provider({ cursor: false });
    const pages = await listUsers(context, { from: 'index:11' });
    expect(requests.map((query) => query.get('startIndex'))).toEqual(['11', '21']);
    expect(pages.flatMap((page) => page.ids)).toEqual(USERS.slice(10).map((user) => user.id));
    expect(pages.at(-1)!.next).toBeNull();
  });

  it('hands out the nextCursor with every page of a cursor-paged listing, and null after the last', async () => {
    const { context, requests } = provider({ cursor: true });
    const pages = await listUsers(context);
    expect(pages.map((page) => page.next)).toEqual(['cursor:after:u10', 'cursor:after:u20', null]);
    expect(requests.map((query) => query.get('cursor'))).toEqual(['', 'after:u10', 'after:u20']);
    expect(requests.every((query) => !query.has('startIndex'))).toBe(true);
  });

  it('resumes a cursor-paged listing at the cursor it was given, with the same filter', async () => {
    const { context, requests } = provider({ cursor: true });
    const since = new Date('2025-03-01T00:00:00.000Z');
    const pages = await listUsers(context, { since, from: 'cursor:after:u10' });
    expect(requests.map((query) => query.get('cursor'))).toEqual(['after:u10', 'after:u20']);
    expect(requests.every((query) => query.get('filter') === `meta.lastModified ge "${since.toISOString()}"`)).toBe(true);
    expect(pages.flatMap((page) => page.ids)).toEqual(USERS.slice(10).map((user) => user.id));
  });

  it('starts the listing over when the upstream says the cursor it resumes from expired', async () => {
    const { context, requests } = provider({ cursor: true, stale: new Set(['after:u10']) });
    const pages = await listUsers(context, { from: 'cursor:after:u10' });
    expect(requests.map((query) => query.get('cursor'))).toEqual(['after:u10', '', 'after:u10', 'after:u20']);
    expect(pages.flatMap((page) => page.ids)).toEqual(USERS.map((user) => user.id));
  });

  it('does not start over when a cursor expires in the middle of a listing: that is the upstream failing the run', async () => {
    const { context } = provider({ cursor: true, stale: new Set(['after:u20']) });
    await expect(listUsers(context, { from: 'cursor:after:u10' })).rejects.toThrow('expiredCursor');
  });

  it('starts over from a position that does not fit how the upstream pages now', async () => {
    const { context, requests } = provider({ cursor: true });
    const pages = await listUsers(context, { from: 'index:11' });
    expect(requests[0]!.get('cursor')).toBe('');
    expect(pages.flatMap((page) => page.ids)).toHaveLength(USERS.length);
  });
});

describe('SCIM positions as text', () => {
  it('round-trips index and cursor positions', () => {
    expect(parsePosition(formatPosition({ startIndex: 101 }))).toEqual({ startIndex: 101 });
    expect(parsePosition(formatPosition({ cursor: 'eyJh.c2ln' }))).toEqual({ cursor: 'eyJh.c2ln' });
  });

  it.each(['', 'index:0', 'index:-5', 'index:abc', 'cursor:', 'page:3'])('reads %j as no position', (text) => {
    expect(parsePosition(text)).toBeUndefined();
  });
});

describe('ScimConnector page size', () => {
  async function requestedCount(config: Record<string, unknown>, resource: 'users' | 'groups' = 'users'): Promise<string | null> {
    const requests: URLSearchParams[] = [];
    const context: ConnectorContext = {
      baseUrl: BASE,
      getJson: async (url) => {
        const { pathname, searchParams } = new URL(url);
        if (pathname.endsWith('/ServiceProviderConfig')) return config;
        requests.push(searchParams);
        return { totalResults: 0, Resources: [] };
      },
    };
    const session = await new ScimConnector().open(context);
    for await (const page of session[resource]()) void page;
    return requests[0]!.get('count');
  }

  it('asks for pages of 1,000 when the provider allows that many or states no limit', async () => {
    expect(await requestedCount({ filter: { supported: true, maxResults: 5000 } })).toBe('1000');
    expect(await requestedCount({})).toBe('1000');
  });

  it('asks for pages of 100 groups, each of which carries its members', async () => {
    expect(await requestedCount({ filter: { supported: true, maxResults: 5000 } }, 'groups')).toBe('100');
    expect(await requestedCount({ filter: { supported: true, maxResults: 50 } }, 'groups')).toBe('50');
  });

  it('asks for no more than the provider’s filter.maxResults or RFC 9865 maxPageSize', async () => {
    expect(await requestedCount({ filter: { supported: true, maxResults: 200 } })).toBe('200');
    expect(await requestedCount({ filter: { supported: true }, pagination: { cursor: true, maxPageSize: 300 } })).toBe('300');
  });
});

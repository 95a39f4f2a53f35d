import type { ScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { basicAuthorization } from '../support/factories.js';

/** A ListResponse as the tests read it. */
export interface ListBody<T = { id: string; [attribute: string]: unknown }> {
  schemas: string[];
  totalResults: number;
  startIndex?: number;
  itemsPerPage: number;
  nextCursor?: string;
  Resources: T[];
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: string;
  detail: string;
}

export type Query = Record<string, string | number>;

/** POSTs a token request: client_secret_basic unless `post` is set, form-encoded. */
export function requestToken(
  upstream: Pick<ScimUpstream, 'tokenUrl'>,
  credentials: { clientId: string; clientSecret: string; post?: boolean },
  params: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...params });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (credentials.post) {
    body.set('client_id', credentials.clientId);
    body.set('client_secret', credentials.clientSecret);
  } else {
    headers.authorization = basicAuthorization(credentials.clientId, credentials.clientSecret);
  }
  return fetch(upstream.tokenUrl, { method: 'POST', headers, body });
}

export async function obtainUpstreamToken(upstream: ScimUpstream, params: Record<string, string> = {}): Promise<string> {
  const response = await requestToken(upstream, upstream, params);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** GET <baseUrl><path>?<query> with the bearer token (none when undefined). */
export function scimGet(
  upstream: ScimUpstream,
  path: string,
  token: string | undefined,
  query: Query = {},
  init: RequestInit = {},
): Promise<Response> {
  const url = new URL(`${upstream.baseUrl}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  return fetch(url, { ...init, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

export async function listPage(upstream: ScimUpstream, path: string, token: string, query: Query): Promise<ListBody> {
  const response = await scimGet(upstream, path, token, query);
  if (response.status !== 200) throw new Error(`GET ${path} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as ListBody;
}

/** Walks a listing by startIndex and count (RFC 7644 section 3.4.2.4); returns every page. */
export async function walkByIndex(
  upstream: ScimUpstream,
  path: string,
  token: string,
  count: number,
  query: Query = {},
): Promise<ListBody[]> {
  const pages: ListBody[] = [];
  for (let startIndex = 1; ; startIndex += count) {
    const page = await listPage(upstream, path, token, { ...query, startIndex, count });
    pages.push(page);
    if (page.itemsPerPage === 0 || startIndex + page.itemsPerPage > page.totalResults) return pages;
  }
}

/** Walks a listing by cursor (RFC 9865): an empty cursor first, then each nextCursor until there is none. */
export async function walkByCursor(
  upstream: ScimUpstream,
  path: string,
  token: string,
  count: number,
  query: Query = {},
): Promise<ListBody[]> {
  const pages: ListBody[] = [];
  for (let cursor: string | undefined = ''; cursor !== undefined;) {
    const page = await listPage(upstream, path, token, { ...query, cursor, count });
    pages.push(page);
    cursor = page.nextCursor;
  }
  return pages;
}

export const idsOf = (pages: ListBody[]): string[] => pages.flatMap((page) => page.Resources.map((resource) => resource.id));

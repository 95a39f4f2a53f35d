import { type CursorCodec, type CursorPosition } from './cursor-codec.js';
import { type LastModifiedFilter, parseLastModifiedFilter } from './last-modified-filter.js';
import { ScimError } from './scim-error.js';

export type PaginationMethod = 'index' | 'cursor';

/** How this provider pages and filters, as advertised in /ServiceProviderConfig. */
export interface ListingConfig {
  /** RFC 7643 section 5 filter.maxResults, also RFC 9865 maxPageSize: the most resources one page holds. */
  readonly maxResults: number;
  readonly defaultPageSize: number;
  readonly filterSupported: boolean;
  /** RFC 9865 cursor paging, or false for a provider that only knows RFC 7644 index paging. */
  readonly cursor: false | { readonly defaultMethod: PaginationMethod; readonly timeoutSeconds: number };
}

interface CommonRequest {
  readonly count: number;
  readonly filter: LastModifiedFilter | undefined;
  /** The 1-based number of the page asked for (fault injection targets pages by it). */
  readonly page: number;
}

export type ListRequest =
  | (CommonRequest & { readonly method: 'index'; readonly startIndex: number })
  | (CommonRequest & { readonly method: 'cursor'; readonly after: CursorPosition | undefined });

/** Reads startIndex, count, cursor and filter (RFC 7644 section 3.4.2, RFC 9865 section 2). */
export function readListRequest(
  query: Record<string, unknown>,
  endpoint: string,
  config: ListingConfig,
  cursors: CursorCodec,
): ListRequest {
  const filterText = single(query, 'filter');
  if (filterText !== undefined && !config.filterSupported) {
    throw ScimError.badRequest('invalidFilter', 'This service provider does not support filtering (see /ServiceProviderConfig).');
  }
  const filter = filterText === undefined ? undefined : parseLastModifiedFilter(filterText);
  const startIndexText = single(query, 'startIndex');
  const cursorText = single(query, 'cursor');
  // A provider without cursor support ignores the parameter, as one predating RFC 9865 would.
  const useCursor =
    config.cursor !== false && (cursorText !== undefined || (startIndexText === undefined && config.cursor.defaultMethod === 'cursor'));
  if (useCursor && startIndexText !== undefined) {
    throw ScimError.badRequest('invalidValue', 'Use either startIndex (index paging) or cursor (cursor paging), not both.');
  }
  const count = readCount(single(query, 'count'), config, useCursor);
  if (useCursor) {
    const after = cursorText ? cursors.decode(cursorText, { endpoint, filterKey: filter?.key ?? '' }) : undefined;
    return { method: 'cursor', after, count, filter, page: after?.page ?? 1 };
  }
  // RFC 7644 section 3.4.2.4: "A value less than 1 SHALL be interpreted as 1."
  const startIndex = Math.max(1, readInteger('startIndex', startIndexText) ?? 1);
  return { method: 'index', startIndex, count, filter, page: Math.floor((startIndex - 1) / Math.max(count, 1)) + 1 };
}

function readCount(text: string | undefined, config: ListingConfig, cursor: boolean): number {
  const requested = readInteger('count', text);
  if (requested === undefined) return Math.min(config.defaultPageSize, config.maxResults);
  if (cursor && requested < 1) {
    throw ScimError.badRequest('invalidCount', `count must be between 1 and the maxPageSize of ${config.maxResults}.`);
  }
  // RFC 7644 section 3.4.2.4: a negative count means 0; a count above maxResults gets maxResults.
  return Math.min(Math.max(requested, 0), config.maxResults);
}

function readInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d{1,9}$/.test(text)) throw ScimError.badRequest('invalidValue', `${name} must be an integer.`);
  return Number(text);
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', `The ${name} parameter is given more than once.`);
  return value;
}

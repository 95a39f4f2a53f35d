import type { SortedCollection } from '../directory/sorted-collection.js';
import type { CursorCodec } from './cursor-codec.js';
import type { ListRequest } from './list-request.js';
import { LIST_RESPONSE_SCHEMA } from './scim-resources.js';

/** RFC 7644 section 3.4.2 ListResponse, with RFC 9865's nextCursor when paging by cursor. */
export interface ListResponse<S> {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  startIndex?: number;
  itemsPerPage: number;
  nextCursor?: string;
  Resources: S[];
}

/** One page of a collection, in id order, as the request asks for it. */
export function listPage<R extends { readonly id: string; readonly lastModified: number }, S>(
  collection: SortedCollection<R>,
  request: ListRequest,
  serialize: (record: R) => S,
  cursors: { codec: CursorCodec; endpoint: string },
): ListResponse<S> {
  const matches = request.filter?.matches;
  if (request.method === 'index') {
    const slice = collection.sliceAt(request.startIndex - 1, request.count, matches);
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: slice.total,
      startIndex: request.startIndex,
      itemsPerPage: slice.items.length,
      Resources: slice.items.map(serialize),
    };
  }
  const slice = collection.sliceAfter(request.after?.afterId ?? null, request.count, matches);
  const last = slice.items.at(-1);
  // RFC 9865 section 2: nextCursor is on every page but the last; its absence is what ends the walk.
  const nextCursor =
    slice.hasMore && last !== undefined
      ? cursors.codec.encode(
          { afterId: last.id, page: request.page + 1 },
          { endpoint: cursors.endpoint, filterKey: request.filter?.key ?? '' },
        )
      : undefined;
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: slice.total,
    itemsPerPage: slice.items.length,
    ...(nextCursor !== undefined && { nextCursor }),
    Resources: slice.items.map(serialize),
  };
}

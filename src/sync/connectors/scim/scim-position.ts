/**
 * Where a SCIM listing continues, as the text a checkpoint stores: the next
 * startIndex for index paging (RFC 7644 section 3.4.2.4), or the nextCursor
 * the previous page handed out for cursor paging (RFC 9865 section 2; cursors
 * are made of unreserved characters, so the text needs no escaping).
 */
export type ScimPosition = { readonly startIndex: number } | { readonly cursor: string };

export function formatPosition(position: ScimPosition): string {
  return 'cursor' in position ? `cursor:${position.cursor}` : `index:${position.startIndex}`;
}

/** The position a checkpoint holds, or undefined for text that is not one (the listing then starts over). */
export function parsePosition(text: string): ScimPosition | undefined {
  const index = /^index:([1-9]\d{0,9})$/.exec(text);
  if (index) return { startIndex: Number(index[1]) };
  const cursor = /^cursor:(.+)$/s.exec(text);
  return cursor ? { cursor: cursor[1]! } : undefined;
}

import { DomainError } from '../errors/domain-error.js';

/**
 * Opaque cursors for keyset pagination: the client hands back what we gave it
 * and never learns (or depends on) what is inside.
 */
export function encodeCursor(position: string): string {
  return Buffer.from(JSON.stringify({ after: position }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (decoded && typeof decoded === 'object' && typeof (decoded as { after?: unknown }).after === 'string') {
      return (decoded as { after: string }).after;
    }
  } catch {
    // fall through to the validation error below
  }
  throw DomainError.invalidField('cursor', 'cursor is not a cursor this API returned');
}

export interface Page<T> {
  readonly data: T[];
  readonly nextCursor: string | null;
}

/** Given one row more than the limit, splits off the page and the cursor after it. */
export function toPage<T>(rows: T[], limit: number, positionOf: (row: T) => string): Page<T> {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}

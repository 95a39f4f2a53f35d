import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ScimError } from './scim-error.js';

/** Where a cursor-paged listing continues: after which id, on which page, for which query. */
export interface CursorPosition {
  readonly afterId: string;
  /** The 1-based number of the page this cursor fetches. */
  readonly page: number;
}

/** The query a cursor belongs to: RFC 9865 section 2 has clients repeat every other parameter unchanged. */
export interface CursorQuery {
  readonly endpoint: string;
  readonly filterKey: string;
}

interface CursorPayload extends CursorPosition, CursorQuery {
  readonly issuedAt: number;
}

/**
 * Opaque, tamper-evident cursors: base64url(JSON) "." base64url(HMAC). RFC 9865
 * section 2 allows only RFC 3986 unreserved characters, which both parts and
 * the dot are. A cursor is keyset-based (the last id served), so records added
 * or deleted between pages neither repeat nor skip the others.
 */
export class CursorCodec {
  private readonly key = randomBytes(32);

  constructor(
    private readonly timeoutSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  encode(position: CursorPosition, query: CursorQuery): string {
    const payload: CursorPayload = { ...position, ...query, issuedAt: this.now() };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body).toString('base64url')}`;
  }

  decode(cursor: string, query: CursorQuery): CursorPosition {
    const payload = this.verify(cursor);
    if (!payload || payload.endpoint !== query.endpoint || payload.filterKey !== query.filterKey) {
      throw ScimError.badRequest(
        'invalidCursor',
        'The cursor is not one this service issued for this query; start again with an empty cursor.',
      );
    }
    if (this.now() - payload.issuedAt > this.timeoutSeconds * 1000) {
      throw ScimError.badRequest('expiredCursor', `The cursor is older than the cursorTimeout of ${this.timeoutSeconds} seconds.`);
    }
    return { afterId: payload.afterId, page: payload.page };
  }

  private verify(cursor: string): CursorPayload | undefined {
    const [body, signature, ...rest] = cursor.split('.');
    if (body === undefined || signature === undefined || rest.length > 0) return undefined;
    const expected = this.sign(body);
    const presented = Buffer.from(signature, 'base64url');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16);
  }
}

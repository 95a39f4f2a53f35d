import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { constantTimeEqual } from '../../common/crypto/constant-time.js';
import { SecretsKeyring } from '../../common/crypto/secrets-keyring.js';
import { DomainError } from '../../common/errors/domain-error.js';

/** What a cursor is bound to: a cursor issued for one of these never works for another. */
export interface CursorScope {
  readonly organizationId: string;
  /** The collection, e.g. "members" or "groups/<id>/members". */
  readonly collection: string;
  /** The list's filters, so a cursor cannot carry one query's position into another. */
  readonly filters: Readonly<Record<string, string | boolean | undefined>>;
}

/**
 * Opaque, tamper-proof cursors for the organization APIs: the position (the
 * last ID of the page) plus an HMAC over it and the cursor's scope. A forged,
 * edited or foreign cursor (another organization's, another list's) is a 400,
 * and reveals nothing.
 */
@Injectable()
export class ResourceCursors {
  constructor(private readonly keyring: SecretsKeyring) {}

  encode(scope: CursorScope, afterId: string): string {
    const position = Buffer.from(afterId, 'utf8').toString('base64url');
    return `${position}.${this.mac(scope, afterId).toString('base64url')}`;
  }

  decode(scope: CursorScope, cursor: string): string {
    const [position, mac, extra] = cursor.split('.');
    if (position && mac && extra === undefined) {
      const afterId = Buffer.from(position, 'base64url').toString('utf8');
      if (constantTimeEqual(Buffer.from(mac, 'base64url'), this.mac(scope, afterId))) return afterId;
    }
    throw DomainError.invalidField('cursor', 'cursor is not one this list returned; start again without a cursor');
  }

  /**
   * Runs one page of a keyset walk: decodes the cursor, fetches up to one row
   * more than the limit after it, and seals the position of the last row shown.
   */
  async page<T extends { readonly id: string }>(
    scope: CursorScope,
    request: { readonly limit: number; readonly cursor?: string },
    fetch: (afterId: string | undefined, limitPlusOne: number) => Promise<T[]>,
  ): Promise<{ rows: T[]; nextCursor: string | null }> {
    const afterId = request.cursor === undefined ? undefined : this.decode(scope, request.cursor);
    const rows = await fetch(afterId, request.limit + 1);
    const shown = rows.slice(0, request.limit);
    const last = shown.at(-1);
    return { rows: shown, nextCursor: rows.length > request.limit && last ? this.encode(scope, last.id) : null };
  }

  private mac(scope: CursorScope, afterId: string): Buffer {
    const filters = Object.entries(scope.filters)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    const bound = JSON.stringify([scope.organizationId, scope.collection, filters, afterId]);
    return this.keyring.cursorMac(createHash('sha256').update(bound).digest('base64url'));
  }
}

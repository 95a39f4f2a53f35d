import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { validate as isUuid } from 'uuid';
import { constantTimeEqual } from '../common/crypto/constant-time.js';
import { SecretsKeyring } from '../common/crypto/secrets-keyring.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AuditEventFilter } from './audit-events.repository.js';

/**
 * Opaque, tamper-proof cursors for the audit log: the last ID shown plus an
 * HMAC over it and the list's filters, so an edited cursor, or one carried
 * into a query with other filters, is refused rather than silently skipping
 * or repeating events.
 */
@Injectable()
export class AuditCursors {
  constructor(private readonly keyring: SecretsKeyring) {}

  encode(filter: AuditEventFilter, lastId: string): string {
    return `${Buffer.from(lastId, 'utf8').toString('base64url')}.${this.mac(filter, lastId).toString('base64url')}`;
  }

  decode(filter: AuditEventFilter, cursor: string): string {
    const [position, mac, extra] = cursor.split('.');
    if (position && mac && extra === undefined) {
      const lastId = Buffer.from(position, 'base64url').toString('utf8');
      if (isUuid(lastId) && constantTimeEqual(Buffer.from(mac, 'base64url'), this.mac(filter, lastId))) return lastId;
    }
    throw DomainError.invalidField('cursor', 'cursor is not one this list returned; start again without a cursor');
  }

  private mac(filter: AuditEventFilter, lastId: string): Buffer {
    const filters = Object.entries(filter)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    const bound = JSON.stringify(['audit-events', filters, lastId]);
    return this.keyring.cursorMac(createHash('sha256').update(bound).digest('base64url'));
  }
}

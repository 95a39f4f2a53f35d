import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThanOrEqual } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { DomainError, DomainErrorCode } from '../../common/errors/domain-error.js';
import { isUniqueViolation } from '../../database/unique-violation.js';
import { IdempotencyRecordEntity } from './idempotency-record.entity.js';

/** How long a key is remembered; a retry after that creates a new record. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600 * 1000;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentRequest {
  readonly organizationId: string;
  /** The endpoint, e.g. "POST /api/v1/members". */
  readonly scope: string;
  readonly key: string | undefined;
  /** The validated request body; a retry must send the same one. */
  readonly body: unknown;
}

export interface IdempotentOutcome<T> {
  readonly status: number;
  readonly body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  readonly replayed: boolean;
}

class ConcurrentFirstUse extends Error {}

/**
 * Idempotency-Key for POST (draft-ietf-httpapi-idempotency-key-header): the
 * first request with a key runs and its answer is stored in the same
 * transaction as its effect; a retry with the same key and body gets that
 * answer again, and creates nothing; the same key with another body is a 422.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async run<T>(
    request: IdempotentRequest,
    perform: (manager: EntityManager) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentOutcome<T>> {
    if (request.key === undefined) {
      return { ...(await this.dataSource.transaction((manager) => perform(manager))), replayed: false };
    }
    if (!KEY_SHAPE.test(request.key)) {
      throw DomainError.invalidField('Idempotency-Key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const id = { organizationId: request.organizationId, scope: request.scope, idempotencyKey: request.key };
    const requestHash = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
    const now = this.clock.now();
    await this.dataSource.getRepository(IdempotencyRecordEntity).delete({ ...id, expiresAt: LessThanOrEqual(now) });
    const stored = await this.replay<T>(id, requestHash);
    if (stored) return stored;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const outcome = await perform(manager);
        const record = Object.assign(new IdempotencyRecordEntity(), {
          ...id,
          requestHash,
          responseStatus: outcome.status,
          responseBody: JSON.stringify(outcome.body),
          createdAt: now,
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
        });
        try {
          await manager.insert(IdempotencyRecordEntity, record);
        } catch (error) {
          if (isUniqueViolation(error)) throw new ConcurrentFirstUse();
          throw error;
        }
        return { ...outcome, replayed: false };
      });
    } catch (error) {
      // Another request with this key committed first: its effect stands, ours was rolled back.
      if (!(error instanceof ConcurrentFirstUse)) throw error;
      const winner = await this.replay<T>(id, requestHash);
      if (!winner) throw error;
      return winner;
    }
  }

  private async replay<T>(
    id: Pick<IdempotencyRecordEntity, 'organizationId' | 'scope' | 'idempotencyKey'>,
    requestHash: string,
  ): Promise<IdempotentOutcome<T> | undefined> {
    const record = await this.dataSource.getRepository(IdempotencyRecordEntity).findOneBy(id);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw new DomainError(
        DomainErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
      );
    }
    return { status: record.responseStatus, body: JSON.parse(record.responseBody) as T, replayed: true };
  }
}

/** JSON with object keys sorted at every level: the same request in another key order hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

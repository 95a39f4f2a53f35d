import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, QueryFailedError, type Repository } from 'typeorm';
import { UsedAssertionEntity } from './used-assertion.entity.js';

/** PostgreSQL's unique_violation and SQLite's primary-key constraint failure. */
const DUPLICATE_KEY_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE']);

/** The jti of every client assertion seen and not yet expired (RFC 7523 section 3, item 7). */
@Injectable()
export class UsedAssertionsRepository {
  constructor(@InjectRepository(UsedAssertionEntity) private readonly used: Repository<UsedAssertionEntity>) {}

  /**
   * Records a first use. A plain INSERT on the (client_id, jti) primary key, so
   * of two replicas racing with one assertion exactly one succeeds; false for
   * the other, and for every later replay.
   */
  async recordFirstUse(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.used.insert({ clientId, jti, expiresAt });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Rows whose assertion has expired: exp refuses a replay of those now. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.used.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}

function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && DUPLICATE_KEY_CODES.has(code);
}

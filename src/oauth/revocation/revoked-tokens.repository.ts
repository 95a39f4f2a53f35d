import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThan, type Repository } from 'typeorm';
import { RevokedTokenEntity } from './revoked-token.entity.js';

/** A revoked token as the revocation list keeps it. */
export interface RevokedToken {
  readonly jti: string;
  readonly clientId: string;
  readonly organizationId: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date;
}

@Injectable()
export class RevokedTokensRepository {
  constructor(@InjectRepository(RevokedTokenEntity) private readonly revoked: Repository<RevokedTokenEntity>) {}

  /**
   * Records a revocation; revoking a token twice, or on two replicas at once,
   * keeps the first row (INSERT OR IGNORE on SQLite, ON CONFLICT DO NOTHING on PostgreSQL).
   */
  async insertIfAbsent(token: RevokedToken): Promise<void> {
    await this.revoked
      .createQueryBuilder()
      .insert()
      .into(RevokedTokenEntity)
      .values(Object.assign(new RevokedTokenEntity(), token))
      .orIgnore()
      .execute();
  }

  /** Rows whose token is still worth refusing: it expires after `expiringAfter`. */
  listExpiringAfter(expiringAfter: Date): Promise<RevokedTokenEntity[]> {
    return this.revoked.find({ where: { expiresAt: MoreThan(expiringAfter) } });
  }

  /** Rows revoked after `revokedAfter`, for replicas catching up with revocations made elsewhere. */
  listRevokedAfter(revokedAfter: Date, expiringAfter: Date): Promise<RevokedTokenEntity[]> {
    return this.revoked.find({ where: { revokedAt: MoreThan(revokedAfter), expiresAt: MoreThan(expiringAfter) } });
  }

  /** Removes rows of tokens that expired before `expiredBefore`: their `exp` refuses them now. */
  async deleteExpiredBefore(expiredBefore: Date): Promise<void> {
    await this.revoked.delete({ expiresAt: LessThan(expiredBefore) });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThan, type Repository } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';

@Injectable()
export class SigningKeysRepository {
  constructor(@InjectRepository(SigningKeyEntity) private readonly orm: Repository<SigningKeyEntity>) {}

  findActive(): Promise<SigningKeyEntity | null> {
    return this.orm.findOneBy({ status: 'active' });
  }

  /** The active key and every key retired after `retiredAfter`: the keys tokens may still carry. */
  findPublished(retiredAfter: Date): Promise<SigningKeyEntity[]> {
    return this.orm.find({
      where: [{ status: 'active' }, { status: 'retired', retiredAt: MoreThan(retiredAfter) }],
      order: { createdAt: 'DESC' },
    });
  }

  findAll(): Promise<SigningKeyEntity[]> {
    return this.orm.find({ order: { createdAt: 'DESC' } });
  }

  /**
   * Retires `previousKid` and makes `next` the active key, in one transaction;
   * false, with nothing written, when `previousKid` is no longer the active key
   * (another process rotated first). The conditional UPDATE is the claim: on
   * PostgreSQL a concurrent one waits for the row lock, then matches nothing.
   * With no previous key, the unique index on the active status makes a
   * concurrent first activation fail instead of leaving two signing keys.
   */
  activate(next: SigningKeyEntity, previousKid: string | null, retiredAt: Date): Promise<boolean> {
    return this.orm.manager.transaction(async (manager) => {
      if (previousKid !== null) {
        const retired = await manager.update(SigningKeyEntity, { kid: previousKid, status: 'active' }, { status: 'retired', retiredAt });
        if (retired.affected !== 1) return false;
      }
      await manager.insert(SigningKeyEntity, next);
      return true;
    });
  }

  /** Deletes retired keys that no unexpired token can carry any more. */
  async deleteRetiredBefore(before: Date): Promise<void> {
    await this.orm.delete({ status: 'retired', retiredAt: LessThan(before) });
  }
}

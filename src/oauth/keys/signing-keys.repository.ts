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
   * Retires the active key (if any) and makes `next` the active key, in one
   * transaction; the unique index on the active status makes a concurrent
   * rotation fail instead of leaving two signing keys.
   */
  async activate(next: SigningKeyEntity, retiredAt: Date): Promise<void> {
    await this.orm.manager.transaction(async (manager) => {
      await manager.update(SigningKeyEntity, { status: 'active' }, { status: 'retired', retiredAt });
      await manager.insert(SigningKeyEntity, next);
    });
  }

  /** Deletes retired keys that no unexpired token can carry any more. */
  async deleteRetiredBefore(before: Date): Promise<void> {
    await this.orm.delete({ status: 'retired', retiredAt: LessThan(before) });
  }
}

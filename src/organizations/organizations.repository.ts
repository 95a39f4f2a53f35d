import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { validate as isUuid } from 'uuid';
import { OrganizationEntity } from './organization.entity.js';

@Injectable()
export class OrganizationsRepository {
  constructor(@InjectRepository(OrganizationEntity) private readonly orm: Repository<OrganizationEntity>) {}

  save(organization: OrganizationEntity): Promise<OrganizationEntity> {
    return this.orm.save(organization);
  }

  findLiveById(id: string): Promise<OrganizationEntity | null> {
    // Ids are UUIDs; PostgreSQL rejects some other strings (a NUL byte) with an error, not a miss.
    if (!isUuid(id)) return Promise.resolve(null);
    return this.orm.findOneBy({ id, deletedAt: IsNull() });
  }

  /** Live organizations in id order (UUIDv7: creation order), after the given id (a UUID). */
  listLive(limit: number, afterId?: string): Promise<OrganizationEntity[]> {
    return this.orm.find({
      where: { deletedAt: IsNull(), ...(afterId ? { id: MoreThan(afterId) } : {}) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  findLivePlatformOrganization(): Promise<OrganizationEntity | null> {
    return this.orm.findOne({ where: { isPlatform: true, deletedAt: IsNull() }, order: { id: 'ASC' } });
  }
}

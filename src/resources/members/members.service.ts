import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../../common/clock.js';
import { DomainError, DomainErrorCode } from '../../common/errors/domain-error.js';
import { isUniqueViolation } from '../../database/unique-violation.js';
import { assertIfMatch } from '../shared/etag.js';
import { API_SOURCE, assertWritableThroughApi } from '../shared/ownership.js';
import { MemberEntity } from './member.entity.js';
import { MemberEvents } from './member-events.js';
import { type MemberListFilters, MembersRepository } from './members.repository.js';

export interface MemberFields {
  readonly userName: string;
  readonly email: string | null;
  readonly externalId: string | null;
  readonly displayName: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly title: string | null;
  readonly department: string | null;
  readonly active: boolean;
}

/** Members of the caller's organization: every method takes the organization from the caller's token. */
@Injectable()
export class MembersService {
  constructor(
    private readonly members: MembersRepository,
    private readonly events: MemberEvents,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(organizationId: string, fields: MemberFields, manager: EntityManager, source = API_SOURCE): Promise<MemberEntity> {
    const now = this.clock.now();
    const member = Object.assign(new MemberEntity(), {
      id: uuidv7(),
      organizationId,
      ...fields,
      emailNormalized: normalizeEmail(fields.email),
      source,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await this.assertEmailFree(organizationId, member.emailNormalized, manager);
    await this.write(() => this.members.insert(member, manager));
    return member;
  }

  async get(organizationId: string, id: string): Promise<MemberEntity> {
    const member = await this.members.findLive(organizationId, id);
    if (!member) throw DomainError.notFound(`Member ${id}`);
    return member;
  }

  list(organizationId: string, filters: MemberListFilters, limit: number, afterId?: string): Promise<MemberEntity[]> {
    return this.members.list(organizationId, filters, limit, afterId);
  }

  async update(organizationId: string, id: string, changes: Partial<MemberFields>, ifMatch?: string): Promise<MemberEntity> {
    return this.dataSource.transaction(async (manager) => {
      const member = await this.writable(organizationId, id, ifMatch, manager);
      const version = member.version;
      Object.assign(member, changes);
      if (changes.email !== undefined) {
        member.emailNormalized = normalizeEmail(changes.email);
        await this.assertEmailFree(organizationId, member.emailNormalized, manager, id);
      }
      member.version = version + 1;
      member.updatedAt = this.clock.now();
      await this.saveIfUnchanged(member, version, manager);
      return member;
    });
  }

  /** A soft delete: the record stays as a tombstone that incremental reads report. */
  async delete(organizationId: string, id: string, ifMatch?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const member = await this.writable(organizationId, id, ifMatch, manager);
      const version = member.version;
      const now = this.clock.now();
      Object.assign(member, { deletedAt: now, updatedAt: now, version: version + 1 });
      await this.saveIfUnchanged(member, version, manager);
      await this.events.memberDeleted(manager, organizationId, id, now);
    });
  }

  private async writable(organizationId: string, id: string, ifMatch: string | undefined, manager: EntityManager): Promise<MemberEntity> {
    const member = await this.members.findLive(organizationId, id, manager);
    if (!member) throw DomainError.notFound(`Member ${id}`);
    assertWritableThroughApi(member, 'member');
    assertIfMatch(ifMatch, member.version);
    return member;
  }

  private async saveIfUnchanged(member: MemberEntity, expectedVersion: number, manager: EntityManager): Promise<void> {
    const saved = await this.write(() => this.members.updateIfVersion(member, expectedVersion, manager));
    if (!saved) {
      throw new DomainError(
        DomainErrorCode.PreconditionFailed,
        'The record was changed by another request meanwhile; read it again and retry.',
      );
    }
  }

  private async assertEmailFree(organizationId: string, email: string | null, manager: EntityManager, exceptId?: string): Promise<void> {
    if (email === null) return;
    const holder = await this.members.findLiveByEmail(organizationId, email, manager);
    if (holder && holder.id !== exceptId) throw emailTaken();
  }

  /** The unique index settles races the check above cannot see. */
  private async write<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }
}

function normalizeEmail(email: string | null): string | null {
  return email === null ? null : email.toLowerCase();
}

function emailTaken(): DomainError {
  return DomainError.conflict('Another live member of this organization already has this email address.');
}

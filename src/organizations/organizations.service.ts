import { Injectable } from '@nestjs/common';
import { v7 as uuidv7, validate as isUuid } from 'uuid';
import { AuditLog } from '../audit/audit-log.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { OrganizationEntity } from './organization.entity.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { OrganizationEvents } from './organization-events.js';

export interface CreateOrganization {
  readonly name: string;
  readonly isPlatform?: boolean;
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly events: OrganizationEvents,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(input: CreateOrganization): Promise<OrganizationEntity> {
    const now = this.clock.now();
    const organization = Object.assign(new OrganizationEntity(), {
      id: uuidv7(),
      name: input.name,
      isPlatform: input.isPlatform ?? false,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    const saved = await this.organizations.save(organization);
    this.audited('organization.created', saved, { name: saved.name, platform: saved.isPlatform });
    return saved;
  }

  async get(id: string): Promise<OrganizationEntity> {
    const organization = await this.organizations.findLiveById(id);
    if (!organization) throw DomainError.notFound(`Organization ${id}`);
    return organization;
  }

  /** True while the organization exists and is not deleted. */
  async isLive(id: string): Promise<boolean> {
    return (await this.organizations.findLiveById(id)) !== null;
  }

  async list(limit: number, cursor?: string): Promise<Page<OrganizationEntity>> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    // A cursor is opaque but not signed: one we could not have issued must not reach the query.
    if (after !== undefined && !isUuid(after)) throw DomainError.invalidField('cursor', 'cursor is not a cursor this API returned');
    return toPage(await this.organizations.listLive(limit + 1, after), limit, (row) => row.id);
  }

  /** A soft delete: the organization's clients stop authenticating at once. */
  async delete(id: string): Promise<void> {
    const organization = await this.get(id);
    organization.deletedAt = this.clock.now();
    organization.updatedAt = organization.deletedAt;
    await this.organizations.save(organization);
    this.events.organizationDeleted(id);
    this.audited('organization.deleted', organization);
  }

  private audited(action: string, organization: OrganizationEntity, details?: Record<string, unknown>): void {
    this.audit.record({ action, organizationId: organization.id, targetType: 'organization', targetId: organization.id, details });
  }
}

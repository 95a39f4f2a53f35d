import { Injectable } from '@nestjs/common';
import { v7 as uuidv7, validate as isUuid } from 'uuid';
import { changedFields } from '../../audit/audit-changes.js';
import { AuditLog } from '../../audit/audit-log.js';
import { Clock } from '../../common/clock.js';
import { SecretsKeyring } from '../../common/crypto/secrets-keyring.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../../common/pagination/cursor.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { SyncConnectionEntity, type SyncConnectionKind, type UpstreamAuthMethod } from './sync-connection.entity.js';
import { type SyncConnectionSettings, SyncConnectionsRepository } from './sync-connections.repository.js';
import type { UpstreamCredentials } from '../upstream/upstream-token-client.js';

export interface CreateSyncConnection {
  readonly name: string;
  readonly kind: SyncConnectionKind;
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  /** In clear: sealed here, before it reaches the repository. */
  readonly clientSecret: string;
  readonly tokenEndpointAuthMethod: UpstreamAuthMethod;
  readonly scope: string | null;
  readonly resource: string | null;
  readonly intervalSeconds: number;
  readonly fullSyncEvery: number;
  readonly maxDeletePercent: number;
  readonly enabled: boolean;
}

/** A partial update: fields left out stay; `scope` and `resource` null clear them. */
export type SyncConnectionChanges = Partial<CreateSyncConnection>;

/** The admin use cases of sync connections, and the one place their client secret is sealed and opened. */

@Injectable()
export class SyncConnectionsService {
  constructor(
    private readonly connections: SyncConnectionsRepository,
    private readonly organizations: OrganizationsService,
    private readonly keyring: SecretsKeyring,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(organizationId: string, input: CreateSyncConnection): Promise<SyncConnectionEntity> {
    await this.organizations.get(organizationId);
    const now = this.clock.now();
    const connection = Object.assign(new SyncConnectionEntity(), {
      id: uuidv7(),
      organizationId,
      ...input,
      clientSecret: this.keyring.encrypt(input.clientSecret),
      deletionsConfirmed: false,
      watermark: null,
      runsSinceFull: 0,
      // Due at once: a new connection's first run should not wait a whole interval.
      nextRunAt: now,
      consecutiveFailures: 0,
      leaseOwner: null,
      leaseExpiresAt: null,
      leaseToken: 0,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await this.connections.insert(connection);
    this.audited('sync_connection.created', connection, { name: connection.name, kind: connection.kind, base_url: connection.baseUrl });
    return connection;
  }

  async get(id: string): Promise<SyncConnectionEntity> {
    const connection = await this.findLive(id);
    if (!connection) throw DomainError.notFound(`Sync connection ${id}`);
    return connection;
  }

  /** The connection while it and its organization are live (an organization's connections go with it); null otherwise. */
  async findLive(id: string): Promise<SyncConnectionEntity | null> {
    const connection = await this.connections.findLive(id);
    return connection && (await this.organizations.isLive(connection.organizationId)) ? connection : null;
  }

  /** The connection if it is live and belongs to the organization; not found otherwise, exactly as for an unknown ID. */
  async getInOrganization(organizationId: string, id: string): Promise<SyncConnectionEntity> {
    const connection = await this.connections.findLiveInOrganization(organizationId, id);
    if (!connection) throw DomainError.notFound(`Sync connection ${id}`);
    return connection;
  }

  async listByOrganization(organizationId: string, limit: number, cursor?: string): Promise<Page<SyncConnectionEntity>> {
    await this.organizations.get(organizationId);
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    // A cursor is opaque but not signed: one we could not have issued must not reach the query.
    if (after !== undefined && !isUuid(after)) throw DomainError.invalidField('cursor', 'cursor is not a cursor this API returned');
    return toPage(await this.connections.listLiveByOrganization(organizationId, limit + 1, after), limit, (row) => row.id);
  }

  /**
   * Changing the credentials, the token endpoint or even the kind keeps the
   * watermark: the data is the same. Changing base_url is a new upstream whose
   * records the watermark says nothing about, so it is reset and the next run
   * is a full listing (see SyncConnectionsRepository.changeUpstream).
   */
  async update(id: string, changes: SyncConnectionChanges): Promise<SyncConnectionEntity> {
    const connection = await this.get(id);
    const { clientSecret, ...rest } = changes;
    const settings: SyncConnectionSettings = {
      ...rest,
      ...(clientSecret === undefined ? {} : { clientSecret: this.keyring.encrypt(clientSecret) }),
    };
    const newUpstream = changes.baseUrl !== undefined && changes.baseUrl !== connection.baseUrl;
    const now = this.clock.now();
    const changed = newUpstream
      ? await this.connections.changeUpstream(id, settings, now)
      : await this.connections.changeSettings(id, settings, now);
    if (!changed) throw DomainError.notFound(`Sync connection ${id}`);
    // Field names only: a new client secret shows as `client_secret`, never its value.
    this.audited('sync_connection.updated', connection, {
      changed: changedFields(changes),
      ...(newUpstream ? { base_url: changes.baseUrl } : {}),
    });
    return this.get(id);
  }

  async confirmDeletions(id: string): Promise<SyncConnectionEntity> {
    const connection = await this.get(id);
    if (!(await this.connections.confirmDeletions(id, this.clock.now()))) throw DomainError.notFound(`Sync connection ${id}`);
    this.audited('sync_connection.deletions_confirmed', connection);
    return this.get(id);
  }

  /** A soft delete: the connection stops running and disappears from the API; its runs stay in the database. */
  async delete(id: string): Promise<void> {
    const connection = await this.get(id);
    if (!(await this.connections.softDelete(id, this.clock.now()))) throw DomainError.notFound(`Sync connection ${id}`);
    this.audited('sync_connection.deleted', connection);
  }

  private audited(action: string, connection: SyncConnectionEntity, details?: Record<string, unknown>): void {
    this.audit.record({
      action,
      organizationId: connection.organizationId,
      targetType: 'sync_connection',
      targetId: connection.id,
      details,
    });
  }

  /** The only place the client secret is decrypted: for the worker, just before it asks the upstream for a token. */
  credentialsOf(connection: SyncConnectionEntity): UpstreamCredentials {
    return {
      tokenUrl: connection.tokenUrl,
      clientId: connection.clientId,
      clientSecret: this.keyring.decrypt(connection.clientSecret),
      tokenEndpointAuthMethod: connection.tokenEndpointAuthMethod,
      scope: connection.scope,
      resource: connection.resource,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { changedFields } from '../audit/audit-changes.js';
import { AuditLog } from '../audit/audit-log.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { ClientDirectory } from './client-directory.js';
import { checkKeySettings } from './client-keys-policy.js';
import { checkScopeSettings } from './client-scope-policy.js';
import type { ClientSecretEntity } from './client-secret.entity.js';
import { ClientSecretHasher } from './client-secret-hasher.js';
import { ClientEntity, type ClientStatus, type TokenEndpointAuthMethod } from './client.entity.js';
import { generateClientId, generateClientSecret, isWellFormedClientId } from './client-credentials.js';
import { ClientsRepository } from './clients.repository.js';
import type { ClientJwksInput } from './dto/client-keys.validation.js';
import { newClientSecretEntity } from './secrets/new-client-secret.js';

export interface CreateClient {
  readonly clientName: string;
  readonly scope: string;
  readonly defaultScope?: string;
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** RFC 7591 section 2: the public keys of a private_key_jwt client, or where it publishes them. */
  readonly jwks?: ClientJwksInput;
  readonly jwksUri?: string;
  readonly accessTokenTtl?: number | null;
  /** The introspection permission (RFC 7662 section 2.1); false unless given. */
  readonly introspectionAllowed?: boolean;
  /** Only the bootstrap admin client chooses its ID; every other ID is generated. */
  readonly clientId?: string;
  /** Only the bootstrap admin client brings its secret; every other secret is generated. */
  readonly clientSecret?: string;
}

export interface UpdateClient {
  readonly clientName?: string;
  readonly scope?: string;
  readonly defaultScope?: string;
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** null removes; setting one of them removes the other. */
  readonly jwks?: ClientJwksInput | null;
  readonly jwksUri?: string | null;
  readonly accessTokenTtl?: number | null;
  readonly status?: ClientStatus;
  readonly introspectionAllowed?: boolean;
}

/**
 * A client with the secret that was just issued: the only moment the secret
 * exists in clear. A private_key_jwt client authenticates with its keys and is
 * issued none (RFC 7591 section 3.2.1: client_secret is for clients that use one).
 */
export interface ClientWithSecret {
  readonly client: ClientEntity;
  readonly clientSecret: string | undefined;
}

export const GRANT_TYPES = 'client_credentials';

@Injectable()
export class ClientsService {
  constructor(
    private readonly clients: ClientsRepository,
    private readonly organizations: OrganizationsService,
    private readonly directory: ClientDirectory,
    private readonly hasher: ClientSecretHasher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  async create(organizationId: string, input: CreateClient): Promise<ClientWithSecret> {
    const organization = await this.organizations.get(organizationId);
    const scopes = checkScopeSettings(input.scope, input.defaultScope, organization.isPlatform);
    const tokenEndpointAuthMethod = input.tokenEndpointAuthMethod ?? 'client_secret_basic';
    const keys = checkKeySettings(tokenEndpointAuthMethod, { jwks: null, jwksUri: null }, input, this.config.environment);
    const now = this.clock.now();
    const client = Object.assign(new ClientEntity(), {
      clientId: input.clientId ?? generateClientId(),
      organizationId,
      clientName: input.clientName,
      scope: scopes.scope,
      defaultScope: scopes.defaultScope,
      tokenEndpointAuthMethod,
      grantTypes: GRANT_TYPES,
      ...keys,
      introspectionAllowed: input.introspectionAllowed ?? false,
      accessTokenTtl: input.accessTokenTtl ?? null,
      status: 'active' as const,
      tokensRevokedBefore: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    if (tokenEndpointAuthMethod === 'private_key_jwt' && input.clientSecret === undefined) {
      await this.clients.save(client);
      this.directory.invalidate(client.clientId);
      this.auditCreated(client);
      return { client, clientSecret: undefined };
    }
    const clientSecret = input.clientSecret ?? generateClientSecret();
    await this.clients.createWithSecret(client, this.newSecret(client.clientId, clientSecret, now));
    this.directory.invalidate(client.clientId);
    this.auditCreated(client);
    return { client, clientSecret };
  }

  async get(clientId: string): Promise<ClientEntity> {
    const client = await this.clients.findLive(clientId);
    // An organization's clients go with it: they cannot authenticate, so they are not managed either.
    if (!client || !(await this.organizations.isLive(client.organizationId))) throw DomainError.notFound(`Client ${clientId}`);
    return client;
  }

  async listByOrganization(organizationId: string, limit: number, cursor?: string): Promise<Page<ClientEntity>> {
    await this.organizations.get(organizationId);
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    // A cursor is opaque but not signed: one we could not have issued must not reach the query.
    if (after !== undefined && !isWellFormedClientId(after))
      throw DomainError.invalidField('cursor', 'cursor is not a cursor this API returned');
    return toPage(await this.clients.listLiveByOrganization(organizationId, limit + 1, after), limit, (c) => c.clientId);
  }

  async update(clientId: string, input: UpdateClient): Promise<ClientEntity> {
    const client = await this.get(clientId);
    if (input.scope !== undefined || input.defaultScope !== undefined) {
      const organization = await this.organizations.get(client.organizationId);
      // Narrowing the allowed scopes narrows the defaults with them unless new defaults are given.
      const scope = input.scope ?? client.scope;
      const defaults = input.defaultScope ?? keepWithin(client.defaultScope, scope);
      Object.assign(client, checkScopeSettings(scope, defaults, organization.isPlatform));
    }
    if (input.clientName !== undefined) client.clientName = input.clientName;
    if (input.tokenEndpointAuthMethod !== undefined) client.tokenEndpointAuthMethod = input.tokenEndpointAuthMethod;
    Object.assign(client, checkKeySettings(client.tokenEndpointAuthMethod, client, input, this.config.environment));
    if (input.accessTokenTtl !== undefined) client.accessTokenTtl = input.accessTokenTtl;
    if (input.introspectionAllowed !== undefined) client.introspectionAllowed = input.introspectionAllowed;
    const now = this.clock.now();
    if (input.status === 'disabled' && client.status !== 'disabled') client.tokensRevokedBefore = now;
    if (input.status !== undefined) client.status = input.status;
    client.updatedAt = now;
    await this.clients.save(client);
    this.directory.invalidate(clientId);
    this.audited('client.updated', client, { changed: changedFields(input), ...(input.status ? { status: input.status } : {}) });
    return client;
  }

  /** A soft delete: the client's tokens and secrets stop working at once. */
  async delete(clientId: string): Promise<void> {
    const client = await this.get(clientId);
    client.deletedAt = this.clock.now();
    client.updatedAt = client.deletedAt;
    await this.clients.save(client);
    this.directory.invalidate(clientId);
    this.audited('client.deleted', client);
  }

  /** Makes `secret` the client's only secret (used when the bootstrap secret changes). */
  async replaceSecret(clientId: string, secret: string): Promise<void> {
    const now = this.clock.now();
    await this.clients.addSecretExpiringOthers(this.newSecret(clientId, secret, now), now);
    await this.clients.deleteSecretsExpiredBefore(clientId, now);
    this.directory.invalidate(clientId);
  }

  private auditCreated(client: ClientEntity): void {
    this.audited('client.created', client, { scope: client.scope, token_endpoint_auth_method: client.tokenEndpointAuthMethod });
  }

  private audited(action: string, client: ClientEntity, details?: Record<string, unknown>): void {
    this.audit.record({ action, organizationId: client.organizationId, targetType: 'client', targetId: client.clientId, details });
  }

  private newSecret(clientId: string, secret: string, now: Date): ClientSecretEntity {
    return newClientSecretEntity(this.hasher, clientId, secret, now);
  }
}

function keepWithin(defaults: string, allowed: string): string {
  const allowedSet = new Set(allowed.split(' '));
  return defaults
    .split(' ')
    .filter((s) => s !== '' && allowedSet.has(s))
    .join(' ');
}

import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { ClientDirectory } from './client-directory.js';
import { checkScopeSettings } from './client-scope-policy.js';
import { ClientSecretEntity } from './client-secret.entity.js';
import { ClientSecretHasher } from './client-secret-hasher.js';
import { ClientEntity, type ClientStatus, type TokenEndpointAuthMethod } from './client.entity.js';
import { generateClientId, generateClientSecret, isWellFormedClientId, secretHint } from './client-credentials.js';
import { ClientsRepository } from './clients.repository.js';

export interface CreateClient {
  readonly clientName: string;
  readonly scope: string;
  readonly defaultScope?: string;
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  readonly accessTokenTtl?: number | null;
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
  readonly accessTokenTtl?: number | null;
  readonly status?: ClientStatus;
}

/** A client with the secret that was just issued: the only moment the secret exists in clear. */
export interface ClientWithSecret {
  readonly client: ClientEntity;
  readonly clientSecret: string;
}

export interface RotatedSecret extends ClientWithSecret {
  readonly previousSecretsExpireAt: Date;
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
  ) {}

  async create(organizationId: string, input: CreateClient): Promise<ClientWithSecret> {
    const organization = await this.organizations.get(organizationId);
    const scopes = checkScopeSettings(input.scope, input.defaultScope, organization.isPlatform);
    const now = this.clock.now();
    const client = Object.assign(new ClientEntity(), {
      clientId: input.clientId ?? generateClientId(),
      organizationId,
      clientName: input.clientName,
      scope: scopes.scope,
      defaultScope: scopes.defaultScope,
      tokenEndpointAuthMethod: input.tokenEndpointAuthMethod ?? 'client_secret_basic',
      grantTypes: GRANT_TYPES,
      jwks: null,
      jwksUri: null,
      introspectionAllowed: false,
      accessTokenTtl: input.accessTokenTtl ?? null,
      status: 'active' as const,
      tokensRevokedBefore: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    const clientSecret = input.clientSecret ?? generateClientSecret();
    await this.clients.createWithSecret(client, this.newSecret(client.clientId, clientSecret, now));
    this.directory.invalidate(client.clientId);
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
    if (input.accessTokenTtl !== undefined) client.accessTokenTtl = input.accessTokenTtl;
    const now = this.clock.now();
    if (input.status === 'disabled' && client.status !== 'disabled') client.tokensRevokedBefore = now;
    if (input.status !== undefined) client.status = input.status;
    client.updatedAt = now;
    await this.clients.save(client);
    this.directory.invalidate(clientId);
    return client;
  }

  /** A soft delete: the client's tokens and secrets stop working at once. */
  async delete(clientId: string): Promise<void> {
    const client = await this.get(clientId);
    client.deletedAt = this.clock.now();
    client.updatedAt = client.deletedAt;
    await this.clients.save(client);
    this.directory.invalidate(clientId);
  }

  /**
   * Issues a new secret; the client's other secrets keep working for the grace
   * period, so a partner can roll the new one out without downtime.
   */
  async rotateSecret(clientId: string, gracePeriodSeconds: number): Promise<RotatedSecret> {
    const client = await this.get(clientId);
    const now = this.clock.now();
    const clientSecret = generateClientSecret();
    const previousSecretsExpireAt = new Date(now.getTime() + gracePeriodSeconds * 1000);
    await this.clients.addSecretExpiringOthers(this.newSecret(clientId, clientSecret, now), previousSecretsExpireAt);
    await this.clients.deleteSecretsExpiredBefore(clientId, now);
    this.directory.invalidate(clientId);
    return { client, clientSecret, previousSecretsExpireAt };
  }

  /** Makes `secret` the client's only secret (used when the bootstrap secret changes). */
  async replaceSecret(clientId: string, secret: string): Promise<void> {
    const now = this.clock.now();
    await this.clients.addSecretExpiringOthers(this.newSecret(clientId, secret, now), now);
    await this.clients.deleteSecretsExpiredBefore(clientId, now);
    this.directory.invalidate(clientId);
  }

  private newSecret(clientId: string, secret: string, now: Date): ClientSecretEntity {
    const { hashAlg, hash } = this.hasher.hash(secret);
    return Object.assign(new ClientSecretEntity(), {
      id: uuidv7(),
      clientId,
      hashAlg,
      hash,
      hint: secretHint(secret),
      createdAt: now,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
  }
}

function keepWithin(defaults: string, allowed: string): string {
  const allowedSet = new Set(allowed.split(' '));
  return defaults
    .split(' ')
    .filter((s) => s !== '' && allowedSet.has(s))
    .join(' ');
}

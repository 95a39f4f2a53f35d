import { Injectable } from '@nestjs/common';
import { TtlCache } from '../common/cache/ttl-cache.js';
import { Clock } from '../common/clock.js';
import { OrganizationEvents } from '../organizations/organization-events.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import type { TokenEndpointAuthMethod } from './client.entity.js';
import { ClientsRepository } from './clients.repository.js';
import type { StoredSecretHash } from './client-secret-hasher.js';

export interface ActiveSecret extends StoredSecretHash {
  readonly id: string;
  /** Epoch milliseconds, or null for no expiry. */
  readonly expiresAt: number | null;
}

/** What the token endpoint and the bearer guard need to know about a client, on every call. */
export interface ClientAuthRecord {
  readonly clientId: string;
  readonly organizationId: string;
  /** False for a disabled client or one whose organization was deleted. */
  readonly usable: boolean;
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly allowedScopes: ReadonlySet<string>;
  readonly defaultScopes: readonly string[];
  readonly grantTypes: ReadonlySet<string>;
  readonly accessTokenTtl: number | null;
  /** Epoch milliseconds; tokens issued at or before it are refused. */
  readonly tokensRevokedBefore: number | null;
  /** Unexpired, unrevoked secrets. */
  readonly secrets: readonly ActiveSecret[];
  /** RFC 7591 jwks (JSON text) and jwks_uri, for private_key_jwt. */
  readonly jwks: string | null;
  readonly jwksUri: string | null;
  /** Whether the client may call the introspection endpoint (RFC 7662 section 2.1). */
  readonly introspectionAllowed: boolean;
}

/**
 * How long a process may act on client state it read from the database. The
 * process that writes a change invalidates at once; other processes (the CLI,
 * other replicas) see it within this time.
 */
export const CLIENT_STATE_TTL_MS = 1_000;
const MAX_CACHED_CLIENTS = 10_000;

/** Cached, read-only view of clients for the hot paths. */
@Injectable()
export class ClientDirectory {
  private readonly cache: TtlCache<string, ClientAuthRecord | null>;

  constructor(
    private readonly clients: ClientsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly clock: Clock,
    organizationEvents: OrganizationEvents,
  ) {
    this.cache = new TtlCache(clock, CLIENT_STATE_TTL_MS, MAX_CACHED_CLIENTS);
    organizationEvents.onOrganizationDeleted(() => this.cache.clear());
  }

  find(clientId: string): Promise<ClientAuthRecord | null> {
    return this.cache.get(clientId, (id) => this.load(id));
  }

  invalidate(clientId: string): void {
    this.cache.invalidate(clientId);
  }

  private async load(clientId: string): Promise<ClientAuthRecord | null> {
    const client = await this.clients.findLive(clientId);
    if (!client) return null;
    const [organization, secrets] = await Promise.all([
      this.organizations.findLiveById(client.organizationId),
      this.clients.listLiveSecrets(clientId, this.clock.now()),
    ]);
    return {
      clientId: client.clientId,
      organizationId: client.organizationId,
      usable: client.status === 'active' && organization !== null,
      tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
      allowedScopes: new Set(splitList(client.scope)),
      defaultScopes: splitList(client.defaultScope),
      grantTypes: new Set(splitList(client.grantTypes)),
      accessTokenTtl: client.accessTokenTtl,
      tokensRevokedBefore: client.tokensRevokedBefore?.getTime() ?? null,
      jwks: client.jwks,
      jwksUri: client.jwksUri,
      introspectionAllowed: client.introspectionAllowed,
      secrets: secrets.map((secret) => ({
        id: secret.id,
        hashAlg: secret.hashAlg,
        hash: secret.hash,
        expiresAt: secret.expiresAt?.getTime() ?? null,
      })),
    };
  }
}

function splitList(value: string): string[] {
  return value === '' ? [] : value.split(' ');
}

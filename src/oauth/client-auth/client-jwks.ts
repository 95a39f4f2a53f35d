import { Injectable } from '@nestjs/common';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import type { ClientAuthRecord } from '../../clients/client-directory.js';
import { AppConfig } from '../../config/app-config.js';

/** A key the assertion names that we do not have is looked up again at most this often (a key rollover at the client). */
export const JWKS_COOLDOWN_MS = 30_000;
/** How long a fetched JWK Set is used before it is fetched again, even when every kid is known. */
export const JWKS_CACHE_MAX_AGE_MS = 10 * 60 * 1000;
const MAX_CACHED_CLIENTS = 1_000;

interface CachedKeys {
  /** The registration the keys came from: a changed jwks or jwks_uri drops the entry. */
  readonly source: string;
  readonly keys: JWTVerifyGetKey;
}

/**
 * The public keys of private_key_jwt clients (RFC 7591 section 2: `jwks` or
 * `jwks_uri`), one jose key set per client. A remote set keeps its fetched
 * keys between requests, so the client's server is asked only when the cache
 * is stale or an unknown kid appears after the cooldown; every fetch has
 * CLIENT_JWKS_TIMEOUT_MS. Bounded, so many clients cannot grow it without limit.
 */
@Injectable()
export class ClientJwks {
  private readonly sets = new Map<string, CachedKeys>();

  constructor(private readonly config: AppConfig) {}

  /** The client's key set, or undefined when it registered none (or an unreadable one). */
  keysOf(client: ClientAuthRecord): JWTVerifyGetKey | undefined {
    const source = client.jwksUri !== null ? `uri:${client.jwksUri}` : client.jwks !== null ? `jwks:${client.jwks}` : undefined;
    if (source === undefined) {
      this.sets.delete(client.clientId);
      return undefined;
    }
    const cached = this.sets.get(client.clientId);
    if (cached?.source === source) {
      // Most recently used last, so the bound evicts the client unused the longest.
      this.remember(client.clientId, cached);
      return cached.keys;
    }
    const keys = client.jwksUri !== null ? this.remoteSet(client.jwksUri) : localSet(client.jwks!);
    if (keys === undefined) return undefined;
    this.remember(client.clientId, { source, keys });
    return keys;
  }

  private remoteSet(jwksUri: string): JWTVerifyGetKey {
    const url = new URL(jwksUri);
    const options = {
      timeoutDuration: this.config.security.clientJwksTimeoutMs,
      cooldownDuration: JWKS_COOLDOWN_MS,
      cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    };
    return deferredKeySet(async () => (await remoteJwksModule()).createRemoteJWKSet(url, options));
  }

  private remember(clientId: string, entry: CachedKeys): void {
    this.sets.delete(clientId);
    if (this.sets.size >= MAX_CACHED_CLIENTS) {
      const oldest = this.sets.keys().next();
      if (!oldest.done) this.sets.delete(oldest.value);
    }
    this.sets.set(clientId, entry);
  }
}

function localSet(jwks: string): JWTVerifyGetKey | undefined {
  let parsed: JSONWebKeySet;
  try {
    parsed = JSON.parse(jwks) as JSONWebKeySet;
  } catch {
    // Registration validates the set, so only a row written around the API gets here.
    return undefined;
  }
  // A set jose finds malformed fails on first use instead: verification then answers the same
  // invalid_client ("Client authentication failed.") that an unusable registration gets.
  return deferredKeySet(async () => (await localJwksModule()).createLocalJWKSet(parsed));
}

/*
 * jose's key-set code (key import, fetch, caching) is loaded on the first
 * private_key_jwt request, not at start-up: most deployments never see one,
 * and loading it took tens of milliseconds of the time to ready (--cpu-prof).
 * The import runs once; every later caller shares the same module promise.
 */
let localJwks: Promise<typeof import('jose/jwks/local')> | undefined;
let remoteJwks: Promise<typeof import('jose/jwks/remote')> | undefined;
const localJwksModule = () => (localJwks ??= import('jose/jwks/local'));
const remoteJwksModule = () => (remoteJwks ??= import('jose/jwks/remote'));

/**
 * A key set built on its first use, then reused: the same one jose object per
 * client entry, so a remote set keeps its fetched keys and cooldown between requests.
 */
function deferredKeySet(build: () => Promise<JWTVerifyGetKey>): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keys ??= build();
    return (await keys)(header, token);
  };
}

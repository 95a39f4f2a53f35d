import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { ScimDirectory } from './directory/scim-directory.js';
import { FaultResponder } from './faults/fault-responder.js';
import { Faults } from './faults/faults.js';
import { registerTokenEndpoint, TOKEN_PATH, type TokenEndpointConfig } from './oauth/token-endpoint.js';
import { TokenStore } from './oauth/token-store.js';
import { CursorCodec } from './scim/cursor-codec.js';
import type { ListingConfig, PaginationMethod } from './scim/list-request.js';
import { ListingPace } from './scim/listing-pace.js';
import { registerScimRoutes, SCIM_PREFIX } from './scim/scim-routes.js';
import { UpstreamStats } from './upstream-stats.js';

export type { ScimDirectory, SeedOptions, SeedResult } from './directory/scim-directory.js';
export type { GroupChanges, GroupInput, UserChanges, UserInput, WriteOptions } from './directory/records.js';
export type { FaultEndpoint, FaultOptions, Faults } from './faults/faults.js';
export type { ScimGroup, ScimUser } from './scim/scim-resources.js';
export type { ApiRequestRecord, TokenRequestRecord, UpstreamStats } from './upstream-stats.js';

export interface ScimUpstreamOptions {
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default "orgsync-sync". */
  readonly clientId?: string;
  /** Default: 32 random bytes, base64url. */
  readonly clientSecret?: string;
  /** Default both: client_secret_basic and client_secret_post. */
  readonly tokenEndpointAuthMethods?: readonly ('client_secret_basic' | 'client_secret_post')[];
  /** The scopes a token may carry; default ["scim:read"]. A request naming none gets them all. */
  readonly allowedScopes?: readonly string[];
  /** Access-token lifetime (expires_in); default 3600. */
  readonly tokenTtlSeconds?: number;
  /** When set, token requests must carry this RFC 8707 `resource` value, else invalid_target. */
  readonly requiredResource?: string;
  /** filter.supported in /ServiceProviderConfig; default true. */
  readonly filterSupported?: boolean;
  /** filter.maxResults (and RFC 9865 maxPageSize): the largest page; default 1000. */
  readonly maxResults?: number;
  /** The page size when a request names no count; default 100. */
  readonly defaultPageSize?: number;
  /** RFC 9865 cursor paging beside index paging; default false (index paging only). */
  readonly cursorPaging?: boolean;
  /** With cursor paging: what a request naming neither startIndex nor cursor gets; default "index". */
  readonly defaultPaginationMethod?: PaginationMethod;
  /** With cursor paging: how long a cursor stays valid; default 600. */
  readonly cursorTimeoutSeconds?: number;
  /**
   * Milliseconds every listing request (GET /Users, GET /Groups) waits before it is answered; default 0. A
   * client's walk through many pages then takes long enough to stop it part way. `setListDelay` changes it later.
   */
  readonly listDelayMs?: number;
  /** Seed of the deterministic data generator; default "orgsync". */
  readonly seed?: string | number;
  /** Generated users (and groups of membersPerGroup of them) to start with; default none. */
  readonly users?: number;
  readonly groups?: number;
  readonly membersPerGroup?: number;
}

export interface ScimUpstream {
  /** The SCIM base URL, e.g. http://127.0.0.1:PORT/scim/v2 (no trailing slash). */
  readonly baseUrl: string;
  /** The token endpoint, e.g. http://127.0.0.1:PORT/oauth/token. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly directory: ScimDirectory;
  readonly faults: Faults;
  readonly stats: UpstreamStats;
  /** Changes listDelayMs for listing requests that arrive from now on. */
  setListDelay(milliseconds: number): void;
  /** Stops listening and ends every open connection, hung and delayed requests included. */
  close(): Promise<void>;
}

/** Starts a SCIM 2.0 service provider with its own client-credentials token endpoint. */
export async function startScimUpstream(options: ScimUpstreamOptions = {}): Promise<ScimUpstream> {
  const clientId = options.clientId ?? 'orgsync-sync';
  const clientSecret = options.clientSecret ?? randomBytes(32).toString('base64url');
  const listing = listingConfig(options);
  const pace = new ListingPace(options.listDelayMs);
  const directory = new ScimDirectory(options.seed);
  if (options.users || options.groups) {
    directory.seed({ users: options.users ?? 0, groups: options.groups, membersPerGroup: options.membersPerGroup });
  }
  const tokens = new TokenStore();
  const faults = new Faults(tokens);
  const responder = new FaultResponder();
  const stats = new UpstreamStats();
  const cursors = new CursorCodec(listing.cursor ? listing.cursor.timeoutSeconds : 0);

  // forceCloseConnections: close() must not wait for keep-alive or hung connections.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  registerTokenEndpoint(app, { config: tokenEndpointConfig(options, clientId, clientSecret), tokens, faults, responder, stats });
  await registerScimRoutes(app, { directory, listing, pace, cursors, tokens, faults, responder, stats });
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const origin = originOf(app.server.address());
  directory.baseUrl = `${origin}${SCIM_PREFIX}`;

  return {
    baseUrl: directory.baseUrl,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    clientId,
    clientSecret,
    directory,
    faults,
    stats,
    setListDelay: (milliseconds) => pace.setListDelay(milliseconds),
    close: async () => {
      responder.releaseAll();
      pace.releaseAll();
      await app.close();
    },
  };
}

function listingConfig(options: ScimUpstreamOptions): ListingConfig {
  return {
    maxResults: options.maxResults ?? 1000,
    defaultPageSize: options.defaultPageSize ?? 100,
    filterSupported: options.filterSupported ?? true,
    cursor: options.cursorPaging
      ? { defaultMethod: options.defaultPaginationMethod ?? 'index', timeoutSeconds: options.cursorTimeoutSeconds ?? 600 }
      : false,
  };
}

function tokenEndpointConfig(options: ScimUpstreamOptions, clientId: string, clientSecret: string): TokenEndpointConfig {
  return {
    clientId,
    clientSecret,
    authMethods: options.tokenEndpointAuthMethods ?? ['client_secret_basic', 'client_secret_post'],
    allowedScopes: options.allowedScopes ?? ['scim:read'],
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    requiredResource: options.requiredResource,
  };
}

const WILDCARD_HOSTS: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '[::1]' };

/** http://host:port as clients reach it: a wildcard address is reachable as loopback; IPv6 literals go in brackets. */
function originOf(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') throw new Error('The SCIM upstream is not listening on a TCP port.');
  const host = WILDCARD_HOSTS[address.address] ?? (address.family === 'IPv6' ? `[${address.address}]` : address.address);
  return `http://${host}:${address.port}`;
}

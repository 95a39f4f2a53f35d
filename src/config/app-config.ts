import { type DatabaseConfig, dataDirectoryFor, parseDatabaseUrl } from './database-url.js';
import { type SigningAlgorithm, validateEnvironment } from './environment.js';

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
}

export interface OAuthConfig {
  /** RFC 8414 issuer identifier; also the `iss` of every access token. */
  readonly issuer: string;
  /** The `aud` of access tokens: orgsync's own resource server (RFC 9068 section 2.2). */
  readonly audience: string;
  readonly accessTokenTtl: number;
  readonly signingAlg: SigningAlgorithm;
}

export interface SyncConfig {
  /** Whether this process runs the scheduler (a manual run is still recorded, for another process to take). */
  readonly enabled: boolean;
  readonly pollIntervalMs: number;
  readonly maxConcurrentRuns: number;
  /** How long a claim on a connection lasts without renewal; every committed page renews it. */
  readonly leaseSeconds: number;
  /** The timeout of every request to an upstream. */
  readonly httpTimeoutMs: number;
  /** Incremental runs start this long before the watermark: SCIM paging is not stateful and clocks skew. */
  readonly overlapSeconds: number;
}

export interface BootstrapAdminConfig {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * The typed, validated configuration. It is built once from the environment
 * (AppConfig.fromEnvironment) and injected everywhere else by this class token.
 */
export class AppConfig {
  constructor(
    readonly http: HttpConfig,
    readonly oauth: OAuthConfig,
    readonly database: DatabaseConfig,
    /** Directory for files the server keeps itself (beside the SQLite file). */
    readonly dataDir: string,
    /** 32-byte root key for secret hashing and encryption at rest; generated under dataDir when absent. */
    readonly secretsKey: Buffer | undefined,
    readonly bootstrapAdmin: BootstrapAdminConfig | undefined,
    readonly environment: 'development' | 'production' | 'test',
    readonly sync: SyncConfig = DEFAULT_SYNC,
  ) {}

  static fromEnvironment(env: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
    const vars = validateEnvironment(env);
    const port = vars.PORT ?? 3000;
    const issuer = vars.ISSUER ?? `http://localhost:${port}`;
    const database = parseDatabaseUrl(vars.DATABASE_URL, cwd);
    return new AppConfig(
      { host: vars.HOST ?? '0.0.0.0', port },
      {
        issuer,
        audience: vars.ACCESS_TOKEN_AUDIENCE ?? `${issuer}/api`,
        accessTokenTtl: vars.ACCESS_TOKEN_TTL ?? 600,
        signingAlg: vars.SIGNING_ALG ?? 'ES256',
      },
      database,
      dataDirectoryFor(database, cwd),
      vars.SECRETS_KEY === undefined ? undefined : decodeKey(vars.SECRETS_KEY),
      vars.BOOTSTRAP_ADMIN_CLIENT_ID && vars.BOOTSTRAP_ADMIN_CLIENT_SECRET
        ? { clientId: vars.BOOTSTRAP_ADMIN_CLIENT_ID, clientSecret: vars.BOOTSTRAP_ADMIN_CLIENT_SECRET }
        : undefined,
      vars.NODE_ENV ?? 'development',
      {
        ...DEFAULT_SYNC,
        enabled: vars.SYNC_ENABLED !== 'false',
        pollIntervalMs: vars.SYNC_POLL_INTERVAL_MS ?? DEFAULT_SYNC.pollIntervalMs,
        maxConcurrentRuns: vars.SYNC_MAX_CONCURRENT_RUNS ?? DEFAULT_SYNC.maxConcurrentRuns,
        httpTimeoutMs: vars.SYNC_HTTP_TIMEOUT_MS ?? DEFAULT_SYNC.httpTimeoutMs,
        leaseSeconds: vars.SYNC_LEASE_SECONDS ?? DEFAULT_SYNC.leaseSeconds,
      },
    );
  }

  /** Returns a copy with some parts replaced; tests use it to point at their own database. */
  with(
    overrides: Partial<Pick<AppConfig, 'http' | 'oauth' | 'database' | 'dataDir' | 'secretsKey' | 'bootstrapAdmin' | 'sync'>>,
  ): AppConfig {
    return new AppConfig(
      overrides.http ?? this.http,
      overrides.oauth ?? this.oauth,
      overrides.database ?? this.database,
      overrides.dataDir ?? this.dataDir,
      'secretsKey' in overrides ? overrides.secretsKey : this.secretsKey,
      'bootstrapAdmin' in overrides ? overrides.bootstrapAdmin : this.bootstrapAdmin,
      this.environment,
      overrides.sync ?? this.sync,
    );
  }
}

export const DEFAULT_SYNC: SyncConfig = {
  enabled: true,
  pollIntervalMs: 5_000,
  maxConcurrentRuns: 2,
  leaseSeconds: 60,
  httpTimeoutMs: 15_000,
  overlapSeconds: 300,
};

function decodeKey(value: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

/** The database kind of this process, read before any entity class is defined (see database/column-types.ts). */
export function databaseKindOfProcess(): DatabaseConfig['kind'] {
  return parseDatabaseUrl(process.env.DATABASE_URL, process.cwd()).kind;
}

/** Builds the configuration of this process from its environment. */
export function loadConfig(): AppConfig {
  return AppConfig.fromEnvironment(process.env);
}

import { type DatabaseConfig, dataDirectoryFor, parseDatabaseUrl } from './database-url.js';
import {
  ConfigurationError,
  type LogFormat,
  type LogLevel,
  type ProcessRole,
  type SigningAlgorithm,
  validateEnvironment,
} from './environment.js';

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
  /**
   * Whether this process runs the scheduler (a manual run is still recorded, for another process to take).
   * Off when ROLE=api.
   */
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

export interface RateLimitConfig {
  /** Where counters live: this process only, the database (shared by replicas), or Redis. */
  readonly store: 'memory' | 'database' | 'redis';
  readonly redisUrl: string | undefined;
  readonly windowSeconds: number;
  /** Requests per window from one source address to the OAuth endpoints; 0 turns the limit off. */
  readonly perAddress: number;
  /** Authenticated requests per window by one client; 0 turns the limit off. */
  readonly perClient: number;
  /**
   * Failed authentications per window for one client ID from one source address. Keyed by both so
   * that a flood of bad secrets from one place blocks that place, not the real client elsewhere.
   */
  readonly failuresPerClient: number;
}

export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface SecurityConfig {
  /** Seconds between automatic signing-key rotations; 0 turns scheduled rotation off. */
  readonly signingKeyRotationSeconds: number;
  readonly rateLimit: RateLimitConfig;
  readonly auditRetentionDays: number;
  /** Timeout for fetching a client's jwks_uri (RFC 7523 private_key_jwt). */
  readonly clientJwksTimeoutMs: number;
  /** Native HTTPS when set. */
  readonly tls: TlsConfig | undefined;
  /** Fastify's trustProxy: false, true, a hop count or a list of proxy addresses/CIDRs. */
  readonly trustProxy: boolean | number | string[];
  /** The largest request body accepted, in bytes (OAuth form bodies have their own, smaller limit). */
  readonly bodyLimit: number;
}

export interface LifecycleConfig {
  /** How long a shutdown (SIGTERM, SIGINT) may take; past it the process reports what is still running and exits 1. */
  readonly shutdownGraceSeconds: number;
}

export interface MetricsConfig {
  /** Who may read GET /metrics: anyone, bearer tokens with the metrics:read scope, or nobody (not served). */
  readonly access: 'public' | 'scope' | 'off';
  /** When set, /metrics is served on this port only (on HOST), not on the main port. */
  readonly port: number | undefined;
}

export interface LoggingConfig {
  /** pino's level: lines below it are not written; silent writes none. */
  readonly level: LogLevel;
  readonly format: LogFormat;
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
    readonly security: SecurityConfig = DEFAULT_SECURITY,
    readonly lifecycle: LifecycleConfig = DEFAULT_LIFECYCLE,
    readonly metrics: MetricsConfig = DEFAULT_METRICS,
    readonly logging: LoggingConfig = DEFAULT_LOGGING,
    /** api: HTTP APIs only; worker: the sync worker with health and metrics only; both: everything. */
    readonly role: ProcessRole = 'both',
  ) {}

  static fromEnvironment(env: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
    const vars = validateEnvironment(env);
    const port = vars.PORT ?? 3000;
    const issuer = vars.ISSUER ?? `http://localhost:${port}`;
    const environment = vars.NODE_ENV ?? 'development';
    refuseCleartextIssuer(issuer, environment);
    if (vars.RATE_LIMIT_STORE === 'redis' && !vars.REDIS_URL) {
      throw new ConfigurationError('Invalid configuration:\n  - RATE_LIMIT_STORE=redis needs REDIS_URL');
    }
    const database = parseDatabaseUrl(vars.DATABASE_URL, cwd, vars.DATABASE_POOL_SIZE);
    const role = vars.ROLE ?? 'both';
    if (role === 'worker' && vars.SYNC_ENABLED === 'false') {
      throw new ConfigurationError('Invalid configuration:\n  - ROLE=worker runs the sync worker; it cannot have SYNC_ENABLED=false');
    }
    const metrics = metricsConfig(vars.METRICS_ACCESS, vars.METRICS_PORT, port);
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
      environment,
      {
        ...DEFAULT_SYNC,
        enabled: role !== 'api' && vars.SYNC_ENABLED !== 'false',
        pollIntervalMs: vars.SYNC_POLL_INTERVAL_MS ?? DEFAULT_SYNC.pollIntervalMs,
        maxConcurrentRuns: vars.SYNC_MAX_CONCURRENT_RUNS ?? DEFAULT_SYNC.maxConcurrentRuns,
        httpTimeoutMs: vars.SYNC_HTTP_TIMEOUT_MS ?? DEFAULT_SYNC.httpTimeoutMs,
        leaseSeconds: vars.SYNC_LEASE_SECONDS ?? DEFAULT_SYNC.leaseSeconds,
      },
      {
        signingKeyRotationSeconds: vars.SIGNING_KEY_ROTATION_SECONDS ?? DEFAULT_SECURITY.signingKeyRotationSeconds,
        rateLimit: {
          store: vars.RATE_LIMIT_STORE ?? (vars.REDIS_URL ? 'redis' : database.kind === 'postgres' ? 'database' : 'memory'),
          redisUrl: vars.REDIS_URL,
          windowSeconds: vars.RATE_LIMIT_WINDOW_SECONDS ?? DEFAULT_RATE_LIMIT.windowSeconds,
          perAddress: vars.RATE_LIMIT_PER_ADDRESS ?? DEFAULT_RATE_LIMIT.perAddress,
          perClient: vars.RATE_LIMIT_PER_CLIENT ?? DEFAULT_RATE_LIMIT.perClient,
          failuresPerClient: vars.RATE_LIMIT_FAILURES_PER_CLIENT ?? DEFAULT_RATE_LIMIT.failuresPerClient,
        },
        auditRetentionDays: vars.AUDIT_RETENTION_DAYS ?? DEFAULT_SECURITY.auditRetentionDays,
        clientJwksTimeoutMs: vars.CLIENT_JWKS_TIMEOUT_MS ?? DEFAULT_SECURITY.clientJwksTimeoutMs,
        tls: vars.TLS_CERT_FILE && vars.TLS_KEY_FILE ? { certFile: vars.TLS_CERT_FILE, keyFile: vars.TLS_KEY_FILE } : undefined,
        trustProxy: parseTrustProxy(vars.TRUST_PROXY),
        bodyLimit: vars.HTTP_BODY_LIMIT ?? DEFAULT_SECURITY.bodyLimit,
      },
      { shutdownGraceSeconds: vars.SHUTDOWN_GRACE_SECONDS ?? DEFAULT_LIFECYCLE.shutdownGraceSeconds },
      metrics,
      {
        level: vars.LOG_LEVEL ?? DEFAULT_LOGGING.level,
        // Readable on a developer's terminal; one JSON object per line wherever logs are collected.
        format: vars.LOG_FORMAT ?? (environment === 'development' ? 'pretty' : 'json'),
      },
      role,
    );
  }

  /** Returns a copy with some parts replaced; tests use it to point at their own database. */
  with(
    overrides: Partial<
      Pick<
        AppConfig,
        | 'http'
        | 'oauth'
        | 'database'
        | 'dataDir'
        | 'secretsKey'
        | 'bootstrapAdmin'
        | 'sync'
        | 'security'
        | 'lifecycle'
        | 'metrics'
        | 'logging'
        | 'role'
      >
    >,
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
      overrides.security ?? this.security,
      overrides.lifecycle ?? this.lifecycle,
      overrides.metrics ?? this.metrics,
      overrides.logging ?? this.logging,
      overrides.role ?? this.role,
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

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  store: 'memory',
  redisUrl: undefined,
  windowSeconds: 60,
  perAddress: 6_000,
  perClient: 3_000,
  failuresPerClient: 10,
};

export const DEFAULT_LOGGING: LoggingConfig = { level: 'info', format: 'json' };

export const DEFAULT_LIFECYCLE: LifecycleConfig = { shutdownGraceSeconds: 25 };

export const DEFAULT_SECURITY: SecurityConfig = {
  signingKeyRotationSeconds: 30 * 86_400,
  rateLimit: DEFAULT_RATE_LIMIT,
  auditRetentionDays: 90,
  clientJwksTimeoutMs: 5_000,
  tls: undefined,
  trustProxy: false,
  bodyLimit: 1024 * 1024,
};

/** Partner-facing by default: the scrape needs a token unless an operator opens it on purpose. */
export const DEFAULT_METRICS: MetricsConfig = { access: 'scope', port: undefined };

function metricsConfig(access: MetricsConfig['access'] | undefined, metricsPort: number | undefined, port: number): MetricsConfig {
  if (metricsPort !== undefined && access === 'off') {
    throw new ConfigurationError('Invalid configuration:\n  - METRICS_PORT is set but METRICS_ACCESS is off; unset one of them');
  }
  if (metricsPort !== undefined && metricsPort === port) {
    throw new ConfigurationError('Invalid configuration:\n  - METRICS_PORT must differ from PORT');
  }
  return { access: access ?? DEFAULT_METRICS.access, port: metricsPort };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * RFC 8414 section 2 and RFC 9700 section 2.6: the issuer is an https URL. Plain
 * http is for a developer's own machine: outside development only loopback may use it.
 */
function refuseCleartextIssuer(issuer: string, environment: string): void {
  const url = new URL(issuer);
  if (url.protocol === 'http:' && environment !== 'development' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new ConfigurationError(
      `Invalid configuration:\n  - ISSUER must be an https:// URL when NODE_ENV is ${environment} (http:// is allowed for localhost only)`,
    );
  }
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim());
}

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

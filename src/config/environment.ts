import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { Type } from 'class-transformer';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** json: one JSON object per line (production, log shippers); pretty: for a developer's terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What one replica does: serve the HTTP APIs, run the sync worker, or both (the default). */
export const PROCESS_ROLES = ['api', 'worker', 'both'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export const SIGNING_ALGORITHMS = ['ES256', 'RS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** Upper bound for any access-token lifetime, global or per client (RFC 9700 section 2.2: short-lived). */
export const MAX_ACCESS_TOKEN_TTL = 86_400;
export const MIN_ACCESS_TOKEN_TTL = 30;

/**
 * The environment variables orgsync reads, with their rules. Nothing outside
 * src/config reads process.env: everything else receives a typed AppConfig.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'HOST must not be empty' })
  HOST?: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'ISSUER must be an absolute http(s) URL, such as https://auth.example.com' },
  )
  @Matches(/^[^?#]*[^/?#]$/, { message: 'ISSUER must not end with "/" nor carry a query or fragment (RFC 8414 section 2)' })
  ISSUER?: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'ACCESS_TOKEN_AUDIENCE must be an absolute http(s) URL' },
  )
  ACCESS_TOKEN_AUDIENCE?: string;

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or a postgres:// URL',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number between 2 and 100' })
  @Min(2, { message: 'DATABASE_POOL_SIZE must be a whole number between 2 and 100' })
  @Max(100, { message: 'DATABASE_POOL_SIZE must be a whole number between 2 and 100' })
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @IsIn(PROCESS_ROLES, { message: `ROLE must be one of ${PROCESS_ROLES.join(', ')}` })
  ROLE?: ProcessRole;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `ACCESS_TOKEN_TTL must be a whole number of seconds` })
  @Min(MIN_ACCESS_TOKEN_TTL, { message: `ACCESS_TOKEN_TTL must be at least ${MIN_ACCESS_TOKEN_TTL} seconds` })
  @Max(MAX_ACCESS_TOKEN_TTL, { message: `ACCESS_TOKEN_TTL must be at most ${MAX_ACCESS_TOKEN_TTL} seconds` })
  ACCESS_TOKEN_TTL?: number;

  @IsOptional()
  @IsIn(SIGNING_ALGORITHMS, { message: `SIGNING_ALG must be one of ${SIGNING_ALGORITHMS.join(', ')}` })
  SIGNING_ALG?: SigningAlgorithm;

  @ValidateIf((env: EnvironmentVariables) => env.BOOTSTRAP_ADMIN_CLIENT_ID !== undefined || env.BOOTSTRAP_ADMIN_CLIENT_SECRET !== undefined)
  @Matches(/^[\x21-\x7e]{1,128}$/, {
    message: 'BOOTSTRAP_ADMIN_CLIENT_ID must be 1 to 128 visible ASCII characters',
  })
  @IsString({ message: 'BOOTSTRAP_ADMIN_CLIENT_ID must be set together with BOOTSTRAP_ADMIN_CLIENT_SECRET' })
  BOOTSTRAP_ADMIN_CLIENT_ID?: string;

  @ValidateIf((env: EnvironmentVariables) => env.BOOTSTRAP_ADMIN_CLIENT_ID !== undefined || env.BOOTSTRAP_ADMIN_CLIENT_SECRET !== undefined)
  @MinLength(32, { message: 'BOOTSTRAP_ADMIN_CLIENT_SECRET must be at least 32 characters long' })
  @MaxLength(512, { message: 'BOOTSTRAP_ADMIN_CLIENT_SECRET must be at most 512 characters long' })
  @IsString({ message: 'BOOTSTRAP_ADMIN_CLIENT_SECRET must be set together with BOOTSTRAP_ADMIN_CLIENT_ID' })
  BOOTSTRAP_ADMIN_CLIENT_SECRET?: string;

  @IsOptional()
  @Matches(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, {
    message: 'SECRETS_KEY must be 32 bytes, as 64 hex digits or base64',
  })
  SECRETS_KEY?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'SYNC_ENABLED must be true or false' })
  SYNC_ENABLED?: 'true' | 'false';

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'SYNC_POLL_INTERVAL_MS must be a whole number of milliseconds between 50 and 600000' })
  @Min(50, { message: 'SYNC_POLL_INTERVAL_MS must be a whole number of milliseconds between 50 and 600000' })
  @Max(600_000, { message: 'SYNC_POLL_INTERVAL_MS must be a whole number of milliseconds between 50 and 600000' })
  SYNC_POLL_INTERVAL_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'SYNC_MAX_CONCURRENT_RUNS must be a whole number between 1 and 64' })
  @Min(1, { message: 'SYNC_MAX_CONCURRENT_RUNS must be a whole number between 1 and 64' })
  @Max(64, { message: 'SYNC_MAX_CONCURRENT_RUNS must be a whole number between 1 and 64' })
  SYNC_MAX_CONCURRENT_RUNS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'SYNC_LEASE_SECONDS must be a whole number of seconds between 2 and 3600' })
  @Min(2, { message: 'SYNC_LEASE_SECONDS must be a whole number of seconds between 2 and 3600' })
  @Max(3600, { message: 'SYNC_LEASE_SECONDS must be a whole number of seconds between 2 and 3600' })
  SYNC_LEASE_SECONDS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'SYNC_HTTP_TIMEOUT_MS must be a whole number of milliseconds between 100 and 300000' })
  @Min(100, { message: 'SYNC_HTTP_TIMEOUT_MS must be a whole number of milliseconds between 100 and 300000' })
  @Max(300_000, { message: 'SYNC_HTTP_TIMEOUT_MS must be a whole number of milliseconds between 100 and 300000' })
  SYNC_HTTP_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'SIGNING_KEY_ROTATION_SECONDS must be 0 (off) or a whole number of seconds between 3600 and 31536000' })
  @ValidateIf((env: EnvironmentVariables) => env.SIGNING_KEY_ROTATION_SECONDS !== 0)
  @Min(3600, { message: 'SIGNING_KEY_ROTATION_SECONDS must be 0 (off) or a whole number of seconds between 3600 and 31536000' })
  @Max(31_536_000, { message: 'SIGNING_KEY_ROTATION_SECONDS must be 0 (off) or a whole number of seconds between 3600 and 31536000' })
  SIGNING_KEY_ROTATION_SECONDS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds between 1 and 3600' })
  @Min(1, { message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds between 1 and 3600' })
  @Max(3600, { message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds between 1 and 3600' })
  RATE_LIMIT_WINDOW_SECONDS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_PER_ADDRESS must be 0 (off) or a whole number of requests up to 10000000' })
  @Min(0, { message: 'RATE_LIMIT_PER_ADDRESS must be 0 (off) or a whole number of requests up to 10000000' })
  @Max(10_000_000, { message: 'RATE_LIMIT_PER_ADDRESS must be 0 (off) or a whole number of requests up to 10000000' })
  RATE_LIMIT_PER_ADDRESS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_PER_CLIENT must be 0 (off) or a whole number of requests up to 10000000' })
  @Min(0, { message: 'RATE_LIMIT_PER_CLIENT must be 0 (off) or a whole number of requests up to 10000000' })
  @Max(10_000_000, { message: 'RATE_LIMIT_PER_CLIENT must be 0 (off) or a whole number of requests up to 10000000' })
  RATE_LIMIT_PER_CLIENT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_FAILURES_PER_CLIENT must be 0 (off) or a whole number of attempts up to 100000' })
  @Min(0, { message: 'RATE_LIMIT_FAILURES_PER_CLIENT must be 0 (off) or a whole number of attempts up to 100000' })
  @Max(100_000, { message: 'RATE_LIMIT_FAILURES_PER_CLIENT must be 0 (off) or a whole number of attempts up to 100000' })
  RATE_LIMIT_FAILURES_PER_CLIENT?: number;

  @IsOptional()
  @IsIn(['memory', 'database', 'redis'], { message: 'RATE_LIMIT_STORE must be memory, database or redis' })
  RATE_LIMIT_STORE?: 'memory' | 'database' | 'redis';

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'AUDIT_RETENTION_DAYS must be a whole number of days between 1 and 3650' })
  @Min(1, { message: 'AUDIT_RETENTION_DAYS must be a whole number of days between 1 and 3650' })
  @Max(3650, { message: 'AUDIT_RETENTION_DAYS must be a whole number of days between 1 and 3650' })
  AUDIT_RETENTION_DAYS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'CLIENT_JWKS_TIMEOUT_MS must be a whole number of milliseconds between 100 and 30000' })
  @Min(100, { message: 'CLIENT_JWKS_TIMEOUT_MS must be a whole number of milliseconds between 100 and 30000' })
  @Max(30_000, { message: 'CLIENT_JWKS_TIMEOUT_MS must be a whole number of milliseconds between 100 and 30000' })
  CLIENT_JWKS_TIMEOUT_MS?: number;

  @ValidateIf((env: EnvironmentVariables) => env.TLS_CERT_FILE !== undefined || env.TLS_KEY_FILE !== undefined)
  @IsString({ message: 'TLS_CERT_FILE must be set together with TLS_KEY_FILE' })
  TLS_CERT_FILE?: string;

  @ValidateIf((env: EnvironmentVariables) => env.TLS_CERT_FILE !== undefined || env.TLS_KEY_FILE !== undefined)
  @IsString({ message: 'TLS_KEY_FILE must be set together with TLS_CERT_FILE' })
  TLS_KEY_FILE?: string;

  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of proxy addresses/CIDRs',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'HTTP_BODY_LIMIT must be a whole number of bytes between 1024 and 10485760' })
  @Min(1024, { message: 'HTTP_BODY_LIMIT must be a whole number of bytes between 1024 and 10485760' })
  @Max(10_485_760, { message: 'HTTP_BODY_LIMIT must be a whole number of bytes between 1024 and 10485760' })
  HTTP_BODY_LIMIT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'SHUTDOWN_GRACE_SECONDS must be a whole number of seconds between 1 and 600' })
  @Min(1, { message: 'SHUTDOWN_GRACE_SECONDS must be a whole number of seconds between 1 and 600' })
  @Max(600, { message: 'SHUTDOWN_GRACE_SECONDS must be a whole number of seconds between 1 and 600' })
  SHUTDOWN_GRACE_SECONDS?: number;

  @IsOptional()
  @IsIn(['public', 'scope', 'off'], { message: 'METRICS_ACCESS must be public, scope or off' })
  METRICS_ACCESS?: 'public' | 'scope' | 'off';

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'METRICS_PORT must be an integer between 1 and 65535' })
  @Min(1, { message: 'METRICS_PORT must be an integer between 1 and 65535' })
  @Max(65535, { message: 'METRICS_PORT must be an integer between 1 and 65535' })
  METRICS_PORT?: number;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT?: LogFormat;

  @IsOptional()
  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
  NODE_ENV?: 'development' | 'production' | 'test';
}

/** Thrown when the environment is invalid; its message names every bad variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  // Empty strings count as unset, as in most twelve-factor tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = plainToInstance(EnvironmentVariables, present, { excludeExtraneousValues: false });
  // Checks run bottom-up per variable and stop at the first failure, so each variable gets its most basic complaint.
  const errors = validateSync(parsed, { skipMissingProperties: false, whitelist: false, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigurationError(`Invalid configuration:\n${errors.map(describe).join('\n')}`);
  }
  return parsed;
}

function describe(error: ValidationError): string {
  const messages = Object.values(error.constraints ?? {});
  return `  - ${messages[0] ?? `${error.property} is invalid`}`;
}

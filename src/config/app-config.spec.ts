import { AppConfig } from './app-config.js';
import { describeDatabase } from './database-url.js';
import { ConfigurationError } from './environment.js';

const cwd = '/srv/orgsync';

function configError(env: Record<string, string>): string {
  try {
    AppConfig.fromEnvironment(env, cwd);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('AppConfig.fromEnvironment', () => {
  it('has working defaults: port 3000, embedded SQLite under ./data, ES256, 600 s tokens', () => {
    const config = AppConfig.fromEnvironment({}, cwd);
    expect(config.http).toEqual({ host: '0.0.0.0', port: 3000 });
    expect(config.oauth).toEqual({
      issuer: 'http://localhost:3000',
      audience: 'http://localhost:3000/api',
      accessTokenTtl: 600,
      signingAlg: 'ES256',
    });
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/orgsync/data/orgsync.sqlite' });
    expect(config.dataDir).toBe('/srv/orgsync/data');
    expect(config.secretsKey).toBeUndefined();
    expect(config.bootstrapAdmin).toBeUndefined();
  });

  it('derives the default issuer from PORT', () => {
    expect(AppConfig.fromEnvironment({ PORT: '8080' }, cwd).oauth.issuer).toBe('http://localhost:8080');
  });

  it('selects another SQLite file, relative or absolute, and keeps its own files beside it', () => {
    expect(AppConfig.fromEnvironment({ DATABASE_URL: 'sqlite:var/a.db' }, cwd)).toMatchObject({
      database: { kind: 'sqlite', path: '/srv/orgsync/var/a.db' },
      dataDir: '/srv/orgsync/var',
    });
    expect(AppConfig.fromEnvironment({ DATABASE_URL: 'sqlite:/tmp/b.db' }, cwd).database).toEqual({ kind: 'sqlite', path: '/tmp/b.db' });
  });

  it('selects PostgreSQL from a postgres:// URL', () => {
    expect(AppConfig.fromEnvironment({ DATABASE_URL: 'postgres://u:p@db:5432/orgsync' }, cwd).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/orgsync',
      poolSize: 10,
    });
  });

  it('reads the PostgreSQL pool size and refuses one out of range', () => {
    const env = { DATABASE_URL: 'postgres://u:p@db:5432/orgsync' };
    expect(AppConfig.fromEnvironment({ ...env, DATABASE_POOL_SIZE: '25' }, cwd).database).toMatchObject({ poolSize: 25 });
    expect(() => AppConfig.fromEnvironment({ ...env, DATABASE_POOL_SIZE: '1' }, cwd)).toThrow(
      'DATABASE_POOL_SIZE must be a whole number between 2 and 100',
    );
  });

  it('runs both roles by default; ROLE=api turns the sync worker off, ROLE=worker cannot have it off', () => {
    expect(AppConfig.fromEnvironment({}, cwd)).toMatchObject({ role: 'both', sync: { enabled: true } });
    expect(AppConfig.fromEnvironment({ ROLE: 'api' }, cwd)).toMatchObject({ role: 'api', sync: { enabled: false } });
    expect(AppConfig.fromEnvironment({ ROLE: 'worker' }, cwd)).toMatchObject({ role: 'worker', sync: { enabled: true } });
    expect(() => AppConfig.fromEnvironment({ ROLE: 'worker', SYNC_ENABLED: 'false' }, cwd)).toThrow(
      'ROLE=worker runs the sync worker; it cannot have SYNC_ENABLED=false',
    );
    expect(() => AppConfig.fromEnvironment({ ROLE: 'scheduler' }, cwd)).toThrow('ROLE must be one of api, worker, both');
  });

  it('never shows a database password in its description', () => {
    const config = AppConfig.fromEnvironment({ DATABASE_URL: 'postgres://u:hunter2@db:5432/orgsync' }, cwd);
    expect(describeDatabase(config.database)).toBe('PostgreSQL postgres://u:***@db:5432/orgsync');
  });

  it('reads the bootstrap admin and the secrets key', () => {
    const config = AppConfig.fromEnvironment(
      { BOOTSTRAP_ADMIN_CLIENT_ID: 'admin', BOOTSTRAP_ADMIN_CLIENT_SECRET: 's'.repeat(32), SECRETS_KEY: 'ab'.repeat(32) },
      cwd,
    );
    expect(config.bootstrapAdmin).toEqual({ clientId: 'admin', clientSecret: 's'.repeat(32) });
    expect(config.secretsKey).toEqual(Buffer.alloc(32, 0xab));
  });

  it('treats empty variables as unset', () => {
    expect(AppConfig.fromEnvironment({ PORT: '', DATABASE_URL: '' }, cwd).http.port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ ISSUER: 'not a url' }, 'ISSUER'],
    [{ ISSUER: 'https://auth.example.com/' }, 'ISSUER'],
    [{ ISSUER: 'https://auth.example.com?x=1' }, 'ISSUER'],
    [{ DATABASE_URL: 'mysql://db/orgsync' }, 'DATABASE_URL'],
    [{ ACCESS_TOKEN_TTL: '0' }, 'ACCESS_TOKEN_TTL'],
    [{ ACCESS_TOKEN_TTL: '999999' }, 'ACCESS_TOKEN_TTL'],
    [{ ACCESS_TOKEN_TTL: 'ten' }, 'ACCESS_TOKEN_TTL'],
    [{ SIGNING_ALG: 'HS256' }, 'SIGNING_ALG'],
    [{ SIGNING_ALG: 'none' }, 'SIGNING_ALG'],
    [{ BOOTSTRAP_ADMIN_CLIENT_ID: 'admin' }, 'BOOTSTRAP_ADMIN_CLIENT_SECRET must be set together'],
    [{ BOOTSTRAP_ADMIN_CLIENT_ID: 'admin', BOOTSTRAP_ADMIN_CLIENT_SECRET: 'short' }, 'BOOTSTRAP_ADMIN_CLIENT_SECRET'],
    [{ BOOTSTRAP_ADMIN_CLIENT_SECRET: 's'.repeat(40) }, 'BOOTSTRAP_ADMIN_CLIENT_ID must be set together'],
    [{ SECRETS_KEY: 'too-short' }, 'SECRETS_KEY'],
    [{ RATE_LIMIT_STORE: 'redis' }, 'RATE_LIMIT_STORE=redis needs REDIS_URL'],
    [{ RATE_LIMIT_STORE: 'disk' }, 'RATE_LIMIT_STORE'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ RATE_LIMIT_PER_ADDRESS: '-1' }, 'RATE_LIMIT_PER_ADDRESS'],
    [{ SIGNING_KEY_ROTATION_SECONDS: '60' }, 'SIGNING_KEY_ROTATION_SECONDS'],
    [{ AUDIT_RETENTION_DAYS: '0' }, 'AUDIT_RETENTION_DAYS'],
    [{ TLS_CERT_FILE: '/tmp/cert.pem' }, 'TLS_KEY_FILE must be set together'],
    [{ TRUST_PROXY: 'yes please' }, 'TRUST_PROXY'],
    [{ HTTP_BODY_LIMIT: '10' }, 'HTTP_BODY_LIMIT'],
  ])('refuses %j with a message naming %s', (env, variable) => {
    expect(configError(env)).toContain(variable);
  });

  describe('an http:// ISSUER (RFC 8414 section 2: the issuer is https)', () => {
    it.each(['production', 'test'])('is refused for a non-loopback host when NODE_ENV is %s', (environment) => {
      expect(configError({ ISSUER: 'http://auth.example.com', NODE_ENV: environment })).toContain(
        `ISSUER must be an https:// URL when NODE_ENV is ${environment}`,
      );
    });

    it.each(['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]'])(
      'is allowed for loopback %s outside development',
      (issuer) => {
        expect(AppConfig.fromEnvironment({ ISSUER: issuer, NODE_ENV: 'production' }, cwd).oauth.issuer).toBe(issuer);
      },
    );

    it('is allowed for any host in development, and https always', () => {
      expect(AppConfig.fromEnvironment({ ISSUER: 'http://auth.example.com' }, cwd).oauth.issuer).toBe('http://auth.example.com');
      expect(AppConfig.fromEnvironment({ ISSUER: 'https://auth.example.com', NODE_ENV: 'production' }, cwd).oauth.issuer).toBe(
        'https://auth.example.com',
      );
    });
  });

  it('names every bad variable at once', () => {
    const message = configError({ PORT: 'x', SIGNING_ALG: 'HS256' });
    expect(message).toContain('PORT');
    expect(message).toContain('SIGNING_ALG');
  });
});

import { AppConfig } from '../config/app-config.js';
import { describeDatabase } from '../config/database-url.js';
import { ConfigurationError } from '../config/environment.js';

const cwd = '/srv/orgsync';

describe('logging configuration', () => {
  it('logs at info, readable in development (the default environment) and JSON elsewhere', () => {
    expect(AppConfig.fromEnvironment({}, cwd).logging).toEqual({ level: 'info', format: 'pretty' });
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'production', ISSUER: 'https://auth.example.com' }, cwd).logging).toEqual({
      level: 'info',
      format: 'json',
    });
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'test' }, cwd).logging.format).toBe('json');
  });

  it('takes LOG_LEVEL and LOG_FORMAT from the environment, over the defaults', () => {
    expect(AppConfig.fromEnvironment({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, cwd).logging).toEqual({ level: 'debug', format: 'json' });
    expect(AppConfig.fromEnvironment({ LOG_LEVEL: 'silent' }, cwd).logging.level).toBe('silent');
  });

  it.each([
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ LOG_FORMAT: 'text' }, /LOG_FORMAT must be one of json, pretty/],
  ])('refuses %j', (env, message) => {
    expect(() => AppConfig.fromEnvironment(env, cwd)).toThrow(ConfigurationError);
    expect(() => AppConfig.fromEnvironment(env, cwd)).toThrow(message);
  });

  it('keeps the logging section through with()', () => {
    const config = AppConfig.fromEnvironment({ LOG_LEVEL: 'warn' }, cwd);
    expect(config.with({ dataDir: '/tmp' }).logging.level).toBe('warn');
  });
});

describe('describeDatabase, as the start-up line prints it', () => {
  it('hides a password in the user information and in the query', () => {
    const config = AppConfig.fromEnvironment({ DATABASE_URL: 'postgres://app:pw-1@db:5432/orgsync?sslmode=require&password=pw-2' }, cwd);
    const described = describeDatabase(config.database);

    expect(described).not.toMatch(/pw-1|pw-2/);
    expect(described).toContain('sslmode=require');
  });
});

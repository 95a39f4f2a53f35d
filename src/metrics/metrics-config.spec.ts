import { AppConfig } from '../config/app-config.js';
import { ConfigurationError } from '../config/environment.js';

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

describe('the metrics configuration', () => {
  it('requires a metrics:read token on the main port by default', () => {
    expect(AppConfig.fromEnvironment({}, cwd).metrics).toEqual({ access: 'scope', port: undefined });
  });

  it('reads METRICS_ACCESS and METRICS_PORT', () => {
    expect(AppConfig.fromEnvironment({ METRICS_ACCESS: 'public', METRICS_PORT: '9464' }, cwd).metrics).toEqual({
      access: 'public',
      port: 9464,
    });
    expect(AppConfig.fromEnvironment({ METRICS_ACCESS: 'off' }, cwd).metrics.access).toBe('off');
  });

  it('refuses an unknown access mode and a port out of range', () => {
    expect(configError({ METRICS_ACCESS: 'open' })).toContain('METRICS_ACCESS must be public, scope or off');
    expect(configError({ METRICS_PORT: '70000' })).toContain('METRICS_PORT must be an integer between 1 and 65535');
  });

  it('refuses a metrics port that is the main port, or one with metrics turned off', () => {
    expect(configError({ PORT: '8080', METRICS_PORT: '8080' })).toContain('METRICS_PORT must differ from PORT');
    expect(configError({ METRICS_ACCESS: 'off', METRICS_PORT: '9464' })).toContain('METRICS_PORT is set but METRICS_ACCESS is off');
  });
});

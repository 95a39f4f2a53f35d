import type { LoggingConfig } from '../config/app-config.js';
import { createRootLogger } from './root-logger.js';

function capture(config: LoggingConfig) {
  const chunks: string[] = [];
  const logger = createRootLogger(config, { write: (chunk: string) => chunks.push(chunk) });
  return { logger, text: () => chunks.join(''), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

class QueryFailed extends Error {
  override readonly name = 'QueryFailedError';
  readonly parameters = ['orgsync_cs_parameter'];
  readonly code = 'SQLITE_CONSTRAINT';
}

describe('createRootLogger', () => {
  it('writes JSON lines with an ISO time and the level by name', () => {
    const { logger, lines } = capture({ level: 'info', format: 'json' });
    logger.info({ context: 'Test' }, 'hello');

    expect(JSON.parse(lines()[0]!)).toMatchObject({ level: 'info', context: 'Test', msg: 'hello', time: expect.stringMatching(/^\d{4}-/) });
  });

  it('writes readable lines in the pretty format: time, level, context and message, no JSON', () => {
    const { logger, lines } = capture({ level: 'info', format: 'pretty' });
    logger.info({ context: 'Sync' }, 'run finished');

    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: \[Sync\] run finished/);
    expect(() => JSON.parse(lines()[0]!)).toThrow();
  });

  it('writes nothing below its level', () => {
    const { logger, text } = capture({ level: 'warn', format: 'json' });
    logger.info('quiet');
    logger.debug('quieter');

    expect(text()).toBe('');
  });

  it('scrubs messages and redacts fields', () => {
    const { logger, text } = capture({ level: 'info', format: 'json' });
    logger.info({ body: { client_secret: 'field-secret' } }, 'presented Bearer message-secret');

    expect(text()).not.toMatch(/field-secret|message-secret/);
  });

  it('logs a request as method and path, never its query or headers', () => {
    const { logger, lines } = capture({ level: 'info', format: 'json' });
    logger.info({ req: { method: 'GET', url: '/api/v1/members?access_token=abc', headers: { authorization: 'Bearer abc' } } }, 'r');

    expect(JSON.parse(lines()[0]!).req).toEqual({ method: 'GET', path: '/api/v1/members' });
  });

  it('logs an error by class, code and scrubbed message: never its other properties, its stack only at debug', () => {
    const error = new QueryFailed('failed for postgres://u:pw-secret@db/x');
    const info = capture({ level: 'info', format: 'json' });
    info.logger.error({ err: error }, 'failed');
    const debug = capture({ level: 'debug', format: 'json' });
    debug.logger.error({ err: error }, 'failed');

    expect(JSON.parse(info.lines()[0]!).err).toEqual({
      type: 'QueryFailedError',
      code: 'SQLITE_CONSTRAINT',
      message: 'failed for postgres://[Redacted]@db/x',
    });
    expect(JSON.parse(debug.lines()[0]!).err.stack).toMatch(/\n\s+at /);
    expect(info.text() + debug.text()).not.toMatch(/orgsync_cs_parameter|pw-secret/);
  });
});

import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import Fastify from 'fastify';
import type { LoggingConfig } from '../config/app-config.js';
import { PinoNestLogger } from './pino-nest.logger.js';
import { registerRequestLogContext } from './request-log-context.js';
import { createRootLogger } from './root-logger.js';

function capture(config: LoggingConfig = { level: 'trace', format: 'json' }) {
  const chunks: string[] = [];
  const nest = new PinoNestLogger(createRootLogger(config, { write: (chunk: string) => chunks.push(chunk) }));
  return {
    nest,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('PinoNestLogger', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('maps Nest’s levels to pino’s and keeps the context Nest passes last', () => {
    const { nest, lines } = capture();
    nest.log('started', 'Bootstrap');
    nest.warn('slow', 'Sync');
    nest.verbose('details', 'Sync');
    nest.fatal('gone', 'Main');

    expect(lines().map(({ level, context, msg }) => ({ level, context, msg }))).toEqual([
      { level: 'info', context: 'Bootstrap', msg: 'started' },
      { level: 'warn', context: 'Sync', msg: 'slow' },
      { level: 'trace', context: 'Sync', msg: 'details' },
      { level: 'fatal', context: 'Main', msg: 'gone' },
    ]);
  });

  it('turns Nest’s start-up chatter into debug lines', () => {
    const { nest, lines } = capture();
    nest.log('Mapped {/oauth/token, POST} route', 'RouterExplorer');

    expect(lines()[0]).toMatchObject({ level: 'debug', context: 'RouterExplorer' });
  });

  it('keeps an error’s stack only at debug, scrubbed', () => {
    const stack = 'Error: boom\n    at handler (/srv/app.js:1:1) Bearer leaked-token';
    const verbose = capture({ level: 'debug', format: 'json' });
    verbose.nest.error('request 1 failed', stack, 'Errors');
    const quiet = capture({ level: 'info', format: 'json' });
    quiet.nest.error('request 1 failed', stack, 'Errors');

    expect(verbose.lines()[0]).toMatchObject({ level: 'error', context: 'Errors', stack: expect.stringContaining('at handler') });
    expect(JSON.stringify(verbose.lines())).not.toContain('leaked-token');
    expect(quiet.lines()[0]).not.toHaveProperty('stack');
  });

  it('logs an object message as a field that redaction reaches', () => {
    const { nest, lines } = capture();
    nest.log({ client_secret: 'object-secret' }, 'Test');

    expect(lines()[0]).toMatchObject({ detail: { client_secret: '[Redacted]' } });
  });

  it('gives lines logged while a request is handled that request’s ID, after its body was read', async () => {
    const { nest, lines } = capture();
    Logger.overrideLogger(nest);
    const fastify = Fastify({ genReqId: (request) => String(request.headers['x-request-id']) });
    registerRequestLogContext(fastify);
    fastify.post('/work', async (request) => {
      await delay(5);
      new Logger('Worker').log(`handled ${(request.body as { n: number }).n}`);
      return {};
    });
    new Logger('Outside').log('no request here');

    const base = await fastify.listen({ host: '127.0.0.1', port: 0 });
    try {
      await Promise.all(
        [1, 2, 3].map((n) =>
          fetch(`${base}/work`, {
            method: 'POST',
            headers: { 'x-request-id': `req-${n}`, 'content-type': 'application/json' },
            body: JSON.stringify({ n }),
          }),
        ),
      );
    } finally {
      await fastify.close();
    }

    const worker = lines().filter((line) => line.context === 'Worker');
    expect(worker.map((line) => [line.msg, line.requestId]).sort()).toEqual([
      ['handled 1', 'req-1'],
      ['handled 2', 'req-2'],
      ['handled 3', 'req-3'],
    ]);
    expect(lines().find((line) => line.context === 'Outside')).not.toHaveProperty('requestId');
  });
});

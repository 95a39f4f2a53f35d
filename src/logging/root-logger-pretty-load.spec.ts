import { createRequire } from 'node:module';
import type { LoggingConfig } from '../config/app-config.js';
import { createRootLogger } from './root-logger.js';

/*
 * pino-pretty is required by root-logger.ts only for LOG_FORMAT=pretty.
 * Node's own module cache shows whether it was: the entry is dropped first,
 * so whatever ran before in this worker does not count.
 */
const nodeRequire = createRequire(import.meta.url);
const pinoPrettyPath = nodeRequire.resolve('pino-pretty');

function logOneLine(config: LoggingConfig): void {
  createRootLogger(config, { write: () => undefined }).info('hello');
}

describe('createRootLogger loading pino-pretty', () => {
  beforeEach(() => {
    delete nodeRequire.cache[pinoPrettyPath];
  });

  it('does not load pino-pretty for JSON logs', () => {
    logOneLine({ level: 'info', format: 'json' });

    expect(nodeRequire.cache[pinoPrettyPath]).toBeUndefined();
  });

  it('loads pino-pretty when the format is pretty', () => {
    logOneLine({ level: 'info', format: 'pretty' });

    expect(nodeRequire.cache[pinoPrettyPath]).toBeDefined();
  });
});

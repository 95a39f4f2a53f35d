import { CliLogger } from './cli-logger.js';
import type { CliIo } from './output.js';

function io(): CliIo & { readonly err: string[] } {
  const err: string[] = [];
  return { err, stdout: { write: () => undefined }, stderr: { write: (text: string) => err.push(text) } };
}

describe('CliLogger', () => {
  it('prints warnings and errors as plain text on stderr, never info', () => {
    const out = io();
    const logger = new CliLogger(out);
    logger.log();
    logger.warn('slow clock');
    logger.error(new Error('database unreachable'));

    expect(out.err).toEqual(['warning: slow clock\n', 'error: database unreachable\n']);
  });

  it('respects LOG_LEVEL: error hides warnings, silent hides everything', () => {
    const errorOnly = io();
    new CliLogger(errorOnly, 'error').warn('hidden');
    new CliLogger(errorOnly, 'error').error('shown');
    const silent = io();
    new CliLogger(silent, 'silent').error('hidden');
    new CliLogger(silent, 'silent').fatal('hidden');

    expect(errorOnly.err).toEqual(['error: shown\n']);
    expect(silent.err).toEqual([]);
  });
});

import { REDACTED } from './log-redaction.js';
import { createRootLogger, scrubbedArguments } from './root-logger.js';

describe('scrubbedArguments', () => {
  it('passes the arguments through as they came when no string holds a secret: no copy per line', () => {
    const args: unknown[] = [{ res: { statusCode: 200 } }, 'request completed'];

    expect(scrubbedArguments(args)).toBe(args);
  });

  it('scrubs every string from the first one that changed, leaving other arguments as they were', () => {
    const detail = { id: 1 };
    const args: unknown[] = ['clean', detail, 'Bearer first-secret', 'token=second-secret'];

    const scrubbed = scrubbedArguments(args);

    expect(scrubbed).toEqual(['clean', detail, `Bearer ${REDACTED}`, `token=${REDACTED}`]);
    expect(scrubbed[1]).toBe(detail);
  });

  it('scrubs a format argument after a clean message', () => {
    const chunks: string[] = [];
    const logger = createRootLogger({ level: 'info', format: 'json' }, { write: (chunk: string) => chunks.push(chunk) });

    logger.info('client presented %s', 'orgsync_cs_leaked');

    expect(chunks.join('')).not.toContain('orgsync_cs_leaked');
    expect(chunks.join('')).toContain(REDACTED);
  });
});

import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import type * as PinoPretty from 'pino-pretty';
import type { LoggingConfig } from '../config/app-config.js';
import { anchoredRedactPaths, REDACTED, scrubSecrets } from './log-redaction.js';

/** The label of the request ID on every request-scoped line (Fastify's request.log and Nest's Logger alike). */
export const REQUEST_ID_KEY = 'requestId';

const STDOUT_BATCH_BYTES = 4096;
const STDOUT_FLUSH_MS = 100;

/**
 * The one pino logger of the HTTP process: Fastify logs requests with it and
 * Nest's Logger writes to it (PinoNestLogger). `destination` replaces stdout;
 * tests pass a stream that collects the lines.
 *
 * Stdout is written asynchronously (pino's own sonic-boom destination,
 * `sync: false`): a synchronous write per request line costs a system call on
 * the hot path. pino flushes that destination synchronously when the process
 * exits, whatever calls process.exit (Nest's shutdown hooks, main.ts, the
 * shutdown deadline): it registers the stream with on-exit-leak-free, so the
 * lines written just before an exit are not lost.
 */
export function createRootLogger(config: LoggingConfig, destination?: DestinationStream): Logger {
  const verbose = config.level === 'debug' || config.level === 'trace';
  const options: LoggerOptions = {
    level: config.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"info" rather than 30: readable without pino's table, and what most log shippers expect.
    formatters: { level: (label) => ({ level: label }) },
    // Anchored paths only (log-redaction.ts says why): the request line, all scalars, is never walked.
    redact: { paths: anchoredRedactPaths(), censor: REDACTED },
    // Serializers choose fields instead of copying objects: a request line never carries a body, headers or a query.
    serializers: {
      req: (request: { method?: string; url?: string }) => ({ method: request.method, path: pathWithoutQuery(request.url) }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      err: (error: unknown) => describeError(error, verbose),
    },
    hooks: {
      // Messages are free text, which `redact` cannot see into.
      logMethod(args, method) {
        method.apply(this, scrubbedArguments(args) as Parameters<typeof method>);
      },
    },
  };
  return pino(options, config.format === 'pretty' ? prettyStream(destination) : (destination ?? stdoutDestination()));
}

/**
 * The arguments of a log call with every string scrubbed. Runs on every line
 * (3-4 % of a request's CPU with a copy per call, --cpu-prof), so the
 * arguments are copied only when a string actually changed: a constant message
 * ("request completed") or an object-only call passes through as it came.
 */
export function scrubbedArguments(args: unknown[]): unknown[] {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (typeof arg !== 'string') continue;
    const scrubbed = scrubSecrets(arg);
    if (scrubbed !== arg) return scrubFrom(args, index, scrubbed);
  }
  return args;
}

/** A copy of `args` whose string at `first` is `scrubbed` and whose later strings are scrubbed too. */
function scrubFrom(args: unknown[], first: number, scrubbed: string): unknown[] {
  const copy = args.slice();
  copy[first] = scrubbed;
  for (let index = first + 1; index < copy.length; index++) {
    const arg = copy[index];
    if (typeof arg === 'string') copy[index] = scrubSecrets(arg);
  }
  return copy;
}

/**
 * Buffered writes to stdout; pino flushes them synchronously on exit. Lines are
 * written once 4 KB have gathered, or at the latest every 100 ms: under load a
 * write per line was a threadpool round trip per request (about 6-10 µs of CPU
 * per line, measured), while a log shipper reading stdout sees each line within
 * 100 ms. A SIGKILL loses at most those last 100 ms.
 */
export function stdoutDestination(fd = 1): DestinationStream {
  return pino.destination({ dest: fd, sync: false, minLength: STDOUT_BATCH_BYTES, periodicFlush: STDOUT_FLUSH_MS });
}

/**
 * pino-pretty's formatter, run in this process on each line, rather than a
 * pino transport: a transport runs in a worker thread, which a development
 * server does not need and which can drop the last lines on a fast exit.
 * pino-pretty is a runtime dependency because `npm start` runs in
 * development (the default NODE_ENV), where this format is the default.
 */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  const format = loadPinoPretty().prettyFactory({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  });
  const out = destination ?? stdoutDestination();
  return { write: (line: string) => out.write(format(line)) };
}

/**
 * pino-pretty and its dependencies load only for LOG_FORMAT=pretty: JSON
 * logging (production) never uses them, and loading them added to every
 * start-up (--cpu-prof). It is CommonJS, so a synchronous require keeps
 * createRootLogger synchronous.
 */
function loadPinoPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

/** The path of a URL or request target, never its query, which may carry parameters nobody should read in a log. */
export function pathWithoutQuery(url: string | undefined): string | undefined {
  return url === undefined ? undefined : url.split('?', 1)[0];
}

/**
 * An error as a log field: its class, code and message, scrubbed of anything
 * shaped like a secret; the stack only at debug and trace. Never the error's
 * other properties, which can hold a query's parameters or a request's body.
 */
function describeError(error: unknown, withStack: boolean): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubSecrets(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: scrubSecrets(error.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(withStack && error.stack ? { stack: scrubSecrets(error.stack) } : {}),
  };
}

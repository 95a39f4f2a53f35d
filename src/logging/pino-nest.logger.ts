import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { scrubSecrets } from './log-redaction.js';
import { REQUEST_ID_KEY } from './root-logger.js';
import { currentRequestId } from './request-log-context.js';

/**
 * Nest's start-up chatter (a line per module and per route) would bury what
 * matters at info; it stays available at debug.
 */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

const STACK_LINE = /\n\s+at /;

/**
 * Nest's LoggerService on pino, so that every `new Logger(context).log(...)`
 * in src/ becomes a pino line with its context and, inside a request, its
 * request ID.
 *
 * Why not nestjs-pino: it keeps its pino instance in a module-level singleton
 * (one configuration per process, whichever app starts first), and it builds
 * request logging from pino-http as Nest middleware, which on Fastify runs
 * before the body is read and under an ID of its own. Fastify already logs
 * requests with pino under its request ID; this bridge is the only piece
 * missing.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest calls this with its `logLevels` option; LOG_LEVEL decides instead, in one place. */
  setLogLevels(): void {}

  /**
   * Nest passes the context last (`Logger` instances append theirs) and, for
   * errors, a stack before it; anything else is the caller's extra detail.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const rest = context === undefined ? params : params.slice(0, -1);
    const stack = rest.find((param): param is string => typeof param === 'string' && STACK_LINE.test(param));
    const requestId = currentRequestId();
    const fields: Record<string, unknown> = {
      ...(context ? { context } : {}),
      ...(requestId ? { [REQUEST_ID_KEY]: requestId } : {}),
      ...(message instanceof Error ? { err: message } : {}),
      // An object goes in as a field, where `redact` reaches it.
      ...(typeof message === 'object' && message !== null && !(message instanceof Error) ? { detail: message } : {}),
      // Stack traces only when someone asked for detail: they are for debugging, not for the production log.
      ...(stack && this.logger.isLevelEnabled('debug') ? { stack: scrubSecrets(stack) } : {}),
    };
    const effective = context && FRAMEWORK_CONTEXTS.has(context) && level === 'info' ? 'debug' : level;
    const text = message instanceof Error ? message.message : typeof message === 'object' && message !== null ? '' : String(message);
    this.logger[effective](fields, text);
  }
}

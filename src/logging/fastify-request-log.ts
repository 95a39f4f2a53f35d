import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import { RequestLogger } from './request-logger.js';
import { REQUEST_ID_KEY, pathWithoutQuery } from './root-logger.js';

/**
 * The logging options of the Fastify adapter. Request lines (RequestLogController)
 * are written at LOG_LEVEL with the request ID, through `root` or the request's
 * own child of it (made only when used, request-logger.ts); Fastify's own server lines
 * ("Server listening at", one per address on 0.0.0.0) only from warn up, since
 * main.ts prints the one start-up line.
 */
export function fastifyLogging(root: Logger): {
  loggerInstance: Logger;
  logController: RequestLogController;
  childLoggerFactory: (server: unknown, bindings: Bindings, options: ChildLoggerOptions) => RequestLogger;
} {
  const server = root.child({}, { level: root.levelVal >= root.levels.values.warn! ? root.level : 'warn' });
  return {
    loggerInstance: server,
    logController: new RequestLogController(root),
    childLoggerFactory: (_server, bindings, options) => new RequestLogger(root, bindings, options),
  };
}

/** Probes and scrapes arrive every few seconds; their lines stay available at debug. */
const QUIET_PATHS = /^\/(health|metrics)(\/|$)/;

/**
 * Fastify's own request lines (Fastify 5's LogController), reshaped: one line
 * per request when it completes, with the method, the route template, the
 * path without its query, the status, the response time in milliseconds and
 * the remote address. Never headers, a query string or a body, so a client
 * secret or token in any of them has no way into the log.
 */
export class RequestLogController extends LogController {
  /** `root` writes the completed line, the request ID its first field: the same line as the request's child would write. */
  constructor(private readonly root: Logger) {
    super({ requestIdLogLabel: REQUEST_ID_KEY });
  }

  override incomingRequest(request: FastifyRequest): void {
    // Trace is the lowest level: below it nothing is written, so the line is not even built (this runs on every request).
    if (request.log.level !== 'trace') return;
    request.log.trace({ method: request.method, path: pathWithoutQuery(request.url) }, 'request received');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const path = pathWithoutQuery(request.url) ?? '';
    const line = {
      [REQUEST_ID_KEY]: request.id,
      method: request.method,
      route: request.routeOptions.url ?? null,
      path,
      status: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 1000) / 1000,
      remoteAddress: request.ip,
      ...(error ? { err: error } : {}),
    };
    if (error || reply.statusCode >= 500) this.root.error(line, 'request failed');
    else if (QUIET_PATHS.test(path)) this.root.debug(line, 'request completed');
    else this.root.info(line, 'request completed');
  }

  /** Fastify's line names the raw URL, query included; the completed line already says 404. */
  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ method: request.method, path: pathWithoutQuery(request.url) }, 'no route matches');
  }
}

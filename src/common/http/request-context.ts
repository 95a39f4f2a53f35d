import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { currentFrame, runInNewFrame } from '../async-context.js';

/** The HTTP request whose work is running now, if any: log lines take its ID, audit events their defaults. */
export function currentRequest(): FastifyRequest | undefined {
  return currentFrame()?.request as FastifyRequest | undefined;
}

/**
 * Makes each request the current one for everything it runs. Entered at
 * onRequest, for the hooks before the body is read, and again at preHandler,
 * just before Nest's guards, handlers and filters, unless still current there:
 * reading a body resumes on stream events, and a context lost there is
 * restored where it matters most. Register it before any other hook, so that
 * they all run inside it.
 *
 * One context per request, set in hooks that run anyway: cheaper than a Nest
 * interceptor (which wraps every handler in an rxjs pipeline) or a
 * request-scoped provider (which rebuilds its dependants per request).
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    runInNewFrame({ request }, done);
  });
  fastify.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (currentFrame()?.request === request) done();
    else runInNewFrame({ request }, done);
  });
}

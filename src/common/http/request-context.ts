import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

const storage = new AsyncLocalStorage<FastifyRequest>();

/** The HTTP request whose work is running now, if any: log lines take its ID, audit events their defaults. */
export function currentRequest(): FastifyRequest | undefined {
  return storage.getStore();
}

/**
 * Makes each request the current one for everything it runs. Entered at
 * onRequest, for the hooks before the body is read, and again at preHandler,
 * just before Nest's guards, handlers and filters: reading a body resumes on
 * stream events, and a context lost there is restored where it matters most.
 * Register it before any other hook, so that they all run inside it.
 *
 * One context per request, set in hooks that run anyway: cheaper than a Nest
 * interceptor (which wraps every handler in an rxjs pipeline) or a
 * request-scoped provider (which rebuilds its dependants per request).
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  const enter = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    storage.run(request, done);
  };
  fastify.addHook('onRequest', enter);
  fastify.addHook('preHandler', enter);
}

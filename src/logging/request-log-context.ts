import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

const storage = new AsyncLocalStorage<{ readonly requestId: string }>();

/** The ID of the HTTP request whose work is running now, if any: Nest's Logger lines carry it. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * Makes Fastify's request ID (genReqId in app.factory.ts) the current one for
 * everything a request runs. Entered at onRequest, for the hooks before the
 * body is read, and again at preHandler, just before Nest's guards,
 * interceptors, handlers and filters: reading a body resumes on stream events,
 * and a context lost there is restored where it matters most. Registered
 * before any other hook, so that they all run inside it.
 */
export function registerRequestLogContext(fastify: FastifyInstance): void {
  const enter = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    storage.run({ requestId: String(request.id) }, done);
  };
  fastify.addHook('onRequest', enter);
  fastify.addHook('preHandler', enter);
}

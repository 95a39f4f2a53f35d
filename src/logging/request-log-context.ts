import type { FastifyInstance } from 'fastify';
import { currentRequest, registerRequestContext } from '../common/http/request-context.js';

/** The ID of the HTTP request whose work is running now, if any: Nest's Logger lines carry it. */
export function currentRequestId(): string | undefined {
  const request = currentRequest();
  return request === undefined ? undefined : String(request.id);
}

/**
 * Makes Fastify's request ID (genReqId in app.factory.ts) the current one for
 * everything a request runs (common/http/request-context.ts says how).
 * Registered before any other hook, so that they all run inside it.
 */
export function registerRequestLogContext(fastify: FastifyInstance): void {
  registerRequestContext(fastify);
}

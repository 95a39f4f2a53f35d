import type { FastifyInstance } from 'fastify';

/**
 * Headers every response carries: the request ID, and cache rules that keep
 * one caller's data out of shared caches. Organization data depends on the
 * bearer token, so answers are `no-store` and vary on Authorization unless a
 * route (discovery, the JWKS) declares itself publicly cacheable.
 */
export function registerResponseHeaders(fastify: FastifyInstance): void {
  // A callback hook: it runs on every response, and a promise per response is measurable.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', String(request.id));
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    const vary = reply.getHeader('vary');
    if (typeof vary !== 'string' || vary === '') void reply.header('vary', 'Authorization');
    else if (!vary.split(',').some((v) => v.trim().toLowerCase() === 'authorization')) void reply.header('vary', `${vary}, Authorization`);
    done(null, payload);
  });
}

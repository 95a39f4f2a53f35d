import type { FastifyInstance } from 'fastify';

/**
 * Headers every response carries: the request ID, and cache rules that keep
 * one caller's data out of shared caches. Organization data depends on the
 * bearer token, so answers are `no-store` and vary on Authorization unless a
 * route (discovery, the JWKS) declares itself publicly cacheable.
 */
export function registerResponseHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    const vary = reply.getHeader('vary');
    const varies = typeof vary === 'string' ? vary.split(',').map((v) => v.trim().toLowerCase()) : [];
    if (!varies.includes('authorization'))
      void reply.header('vary', [...(typeof vary === 'string' && vary ? [vary] : []), 'Authorization'].join(', '));
  });
}

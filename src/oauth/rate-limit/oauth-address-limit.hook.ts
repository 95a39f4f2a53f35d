import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../errors/oauth-error.js';
import { sendOAuthError } from '../errors/oauth-error.filter.js';
import type { OAuthRateLimits } from './oauth-rate-limits.js';

/**
 * Applies the per-address limit to the OAuth endpoints in onRequest, before
 * Fastify reads the body, so a flood costs one counter update per request and
 * no parsing, hashing or database work. Matched by path, so the limit holds
 * for every method on those paths, and before a route exists for one.
 */
export function registerOAuthAddressLimit(fastify: FastifyInstance, limits: OAuthRateLimits, paths: readonly string[]): void {
  // A callback hook: every request passes here, and only OAuth ones need to wait for the counter.
  fastify.addHook('onRequest', (request, reply, done) => {
    // The matched route too, not only the raw path: the router also matches percent-encoded spellings of it.
    const route = request.routeOptions.url;
    if (!(route !== undefined && paths.includes(route)) && !paths.includes(request.url.split('?', 1)[0] ?? '')) return done();
    limits.admitAddress(request.ip).then(
      () => done(),
      (error: unknown) => {
        if (!(error instanceof OAuthError)) return done(error instanceof Error ? error : new Error(String(error)));
        sendOAuthError(reply, error);
      },
    );
  });
}

import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem-details.filter.js';
import { problemType } from './problem.js';
import { statusTitle } from './status-titles.js';

/**
 * No identifier, filter or path parameter of this API can hold a NUL
 * character, and PostgreSQL refuses one in text outright (an error, not a
 * miss). A URL carrying %00 is therefore refused up front as a 400, on every
 * route, rather than reaching a query. The OAuth form endpoints are left to
 * their own RFC 6749 errors (they read nothing from the query but refusals).
 */
export function registerNulInUrlRefusal(fastify: FastifyInstance, exceptPaths: readonly string[]): void {
  // A callback hook, not an async one: it runs on every request, and a promise per request is measurable.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.url.includes('%00') || exceptPaths.includes(request.url.split('?', 1)[0] ?? '')) return done();
    sendProblem(reply, {
      type: problemType('bad_url'),
      title: statusTitle(400),
      status: 400,
      detail: 'The URL contains a NUL character (%00), which no path or query parameter accepts.',
      instance: request.url.split('?', 1)[0],
      request_id: String(request.id),
    });
  });
}

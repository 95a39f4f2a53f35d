import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeFrameworkError } from './framework-errors.js';
import { sendProblem } from './problem-details.filter.js';
import { problemType } from './problem.js';
import { statusTitle } from './status-titles.js';

/**
 * Fastify's router refuses a malformed URL (400) or an over-long path parameter
 * (414) before any hook or Nest filter runs; this renders those refusals as the
 * RFC 9457 problem documents every other error is, with the request ID.
 * Passed to Fastify as its `frameworkErrors` option.
 */
export function renderRouterError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const described = describeFrameworkError(error) ?? { status: 400, code: 'bad_url', detail: 'The request URL is malformed.' };
  const requestId = String(request.id);
  sendProblem(
    reply,
    {
      type: problemType(described.code),
      title: statusTitle(described.status),
      status: described.status,
      detail: described.detail,
      instance: request.url.split('?', 1)[0],
      request_id: requestId,
    },
    { 'x-request-id': requestId },
  );
}

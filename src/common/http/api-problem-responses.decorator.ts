import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { ProblemDocumentSchema } from './problem-document.schema.js';

/** What each problem status means on orgsync's API; a route names the ones it can answer. */
const PROBLEM_DESCRIPTIONS = {
  400: 'The request is invalid; for a validation problem `errors` names each field.',
  401: 'No valid bearer access token (RFC 6750); the WWW-Authenticate header carries the challenge.',
  403: 'The access token lacks a scope this route requires (`insufficient_scope`, RFC 6750 section 3.1).',
  404: 'No such resource (or it belongs to another organization).',
  409: 'The request conflicts with the current state of the resource.',
  412: 'An If-Match precondition named a version that is no longer current.',
  413: 'The request body is too large.',
  415: 'The request body has a content type this route does not accept (send application/json).',
  422: 'The request is well-formed but cannot be processed (an Idempotency-Key reused with a different request).',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** The statuses any route with a JSON body can answer before its handler runs. */
export const JSON_BODY_PROBLEMS = [400, 413, 415] as const satisfies readonly ProblemStatus[];

/**
 * Documents RFC 9457 problem responses (application/problem+json, the
 * ProblemDocument schema) for the given statuses, with the standard wording.
 * A route-specific description replaces it: `ApiProblemResponse(409, 'The name is taken.')`.
 */
export function ApiProblemResponses(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiProblemResponse(status)));
}

export function ApiProblemResponse(
  status: ProblemStatus,
  description: string = PROBLEM_DESCRIPTIONS[status],
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDocumentSchema),
    ApiResponse({
      status,
      description,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocumentSchema) } } },
    }),
  );
}

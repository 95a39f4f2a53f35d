import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, DomainErrorCode } from '../errors/domain-error.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, type ProblemDocument, problemType } from './problem.js';
import { statusTitle } from './status-titles.js';
import { describeFrameworkError } from './framework-errors.js';

/**
 * The one place where errors become HTTP responses outside the OAuth endpoints:
 * RFC 9457 problem details, and a generic 500 with the request ID for anything
 * unexpected, so that no stack trace, SQL or secret ever reaches a client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /**
   * @param delegates endpoints whose errors follow another standard (the OAuth
   * endpoints, RFC 6749), by path. Errors raised before a route's own
   * filter can run (body parsing, say) still reach the right renderer.
   * Matched by exact path.
   */
  constructor(private readonly delegates: ReadonlyArray<{ path: string; filter: ExceptionFilter }> = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const path = request.url.split('?', 1)[0];
    const delegate = this.delegates.find((candidate) => candidate.path === path);
    if (delegate) {
      delegate.filter.catch(exception, host);
      return;
    }
    const { problem, headers } = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error(`request ${request.id} failed: ${errorSummary(exception)}`, errorStack(exception));
    }
    sendProblem(reply, { ...problem, instance: request.url.split('?')[0], request_id: String(request.id) }, headers);
  }

  private toProblem(exception: unknown, request: FastifyRequest): { problem: ProblemDocument; headers: Record<string, string> } {
    if (exception instanceof HttpProblem) {
      return {
        problem: {
          type: problemType(exception.code),
          title: exception.title,
          status: exception.status,
          detail: exception.detail,
          ...exception.extensions,
        },
        headers: { ...exception.headers },
      };
    }
    if (exception instanceof DomainError) return { problem: fromDomainError(exception), headers: {} };
    // Nest's Fastify adapter wraps Fastify's own 4xx errors (body parsing, media type, size) in an
    // HttpException; the cause says which, so look there before rendering the wrapper.
    const framework = describeFrameworkError(exception instanceof HttpException ? exception.cause : exception);
    if (framework) {
      return {
        problem: {
          type: problemType(framework.code),
          title: statusTitle(framework.status),
          status: framework.status,
          detail: framework.detail,
        },
        headers: {},
      };
    }
    if (exception instanceof HttpException) return { problem: fromHttpException(exception, request), headers: {} };
    return {
      problem: {
        type: problemType('internal_error'),
        title: statusTitle(500),
        status: 500,
        detail: 'An unexpected error occurred. Quote the request ID when reporting it.',
      },
      headers: {},
    };
  }
}

export function sendProblem(reply: FastifyReply, problem: ProblemDocument, headers: Record<string, string> = {}): void {
  void reply
    .status(problem.status)
    .headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' })
    .send(JSON.stringify(problem));
}

function fromDomainError(error: DomainError): ProblemDocument {
  const status = statusForDomainError(error.code);
  return {
    type: problemType(error.code),
    title: statusTitle(status),
    status,
    detail: error.message,
    ...(error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {}),
    ...error.extensions,
  };
}

/** Exhaustive: adding a code without a status is a compile error. */
function statusForDomainError(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.NotFound:
      return 404;
    case DomainErrorCode.Conflict:
      return 409;
    case DomainErrorCode.Validation:
      return 400;
    case DomainErrorCode.Forbidden:
      return 403;
    case DomainErrorCode.OwnedBySync:
      return 409;
    case DomainErrorCode.PreconditionFailed:
      return 412;
    case DomainErrorCode.IdempotencyKeyReused:
      return 422;
  }
}

function fromHttpException(exception: HttpException, request: FastifyRequest): ProblemDocument {
  const status = exception.getStatus();
  if (status === 404 && exception.message.startsWith('Cannot ')) {
    return {
      type: problemType('route_not_found'),
      title: statusTitle(404),
      status,
      detail: `No route matches ${request.method} ${request.url.split('?')[0]}.`,
    };
  }
  return {
    type: status >= 500 ? problemType('internal_error') : 'about:blank',
    title: statusTitle(status),
    status,
    detail: status >= 500 ? 'An unexpected error occurred.' : exception.message,
  };
}

function errorSummary(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}

function errorStack(exception: unknown): string | undefined {
  return exception instanceof Error ? exception.stack : undefined;
}

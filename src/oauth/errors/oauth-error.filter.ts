import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeFrameworkError } from '../../common/http/framework-errors.js';
import { OAuthError } from './oauth-error.js';

/**
 * Renders every error of the OAuth endpoints as RFC 6749 section 5.2 JSON,
 * with no-store (section 5.1 applies the same caching rules to errors).
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuth');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    sendOAuthError(reply, this.toOAuthError(exception, request));
  }

  private toOAuthError(exception: unknown, request: FastifyRequest): OAuthError {
    if (exception instanceof OAuthError) return exception;
    const framework = describeFrameworkError(exception);
    if (framework) return OAuthError.invalidRequest(framework.detail);
    if (exception instanceof HttpException && exception.getStatus() < 500) return fromFrameworkStatus(exception.getStatus(), request);
    this.logger.error(`request ${request.id} failed: ${exception instanceof Error ? exception.message : String(exception)}`);
    return OAuthError.serverError();
  }
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError): void {
  void reply
    .status(error.status)
    .headers({
      ...error.headers,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      pragma: 'no-cache',
    })
    .send(JSON.stringify({ error: error.error, error_description: toDescriptionCharset(error.description) }));
}

/** RFC 6749 section 5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E; anything else becomes a space. */
function toDescriptionCharset(description: string): string {
  return description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ');
}

/** Fastify's own refusals (size limit, JSON parser) reach us as HttpExceptions; word them for a token client. */
function fromFrameworkStatus(status: number, request: FastifyRequest): OAuthError {
  if (status === 413) return OAuthError.invalidRequest('The request body is too large.');
  const isForm = request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded') ?? false;
  return OAuthError.invalidRequest(
    isForm ? 'The request is malformed.' : 'The token request must have an application/x-www-form-urlencoded body.',
  );
}

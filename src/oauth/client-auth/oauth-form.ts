import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../errors/oauth-error.js';
import { type FormParams, parseFormBody } from './form-urlencoded.js';

const CREDENTIAL_PARAMETERS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'token'];

/** Where a request to an OAuth endpoint came from, for rate limits and the audit log. */
export interface OAuthRequestContext {
  /** The client's address as Fastify resolves it (TRUST_PROXY decides whether X-Forwarded-For counts). */
  readonly sourceAddress: string;
  readonly requestId: string;
}

export function oauthRequestContext(request: FastifyRequest): OAuthRequestContext {
  return { sourceAddress: request.ip, requestId: String(request.id) };
}

/**
 * Reads the body of a request to an OAuth endpoint (token, introspection,
 * revocation): POST with an application/x-www-form-urlencoded UTF-8 body
 * (RFC 6749 section 3.2, RFC 7662 section 2.1, RFC 7009 section 2.1), and no
 * credentials or tokens in the query string, where logs and caches keep them.
 */
export function readOAuthForm(request: FastifyRequest, endpoint: string): FormParams {
  const query = request.query as Record<string, unknown>;
  const inQuery = CREDENTIAL_PARAMETERS.find((name) => Object.hasOwn(query, name));
  if (inQuery) throw OAuthError.invalidRequest(`Credentials and tokens must not be sent in the query string (found ${inQuery}).`);
  if (mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    throw OAuthError.invalidRequest(`The ${endpoint} request must have an application/x-www-form-urlencoded body.`);
  }
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw OAuthError.invalidRequest(`The ${endpoint} request body must be encoded as UTF-8.`);
  }
  return parseFormBody(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase();
}

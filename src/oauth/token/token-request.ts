import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../errors/oauth-error.js';
import { type ClientCredentials, parseBasicAuthorization } from './basic-credentials.js';
import { parseFormBody, singleParameter } from './form-urlencoded.js';

export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post';

/** A token request as read off the wire, before anything is checked against stored state. */
export interface TokenRequest {
  readonly grantType: string | undefined;
  readonly scope: string | undefined;
  readonly credentials: (ClientCredentials & { readonly method: ClientAuthenticationMethod }) | undefined;
  /** A client_id sent without any secret: a client trying to authenticate as a public client. */
  readonly unauthenticatedClientId: string | undefined;
}

const CREDENTIAL_PARAMETERS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * Reads a token request: POST with an application/x-www-form-urlencoded body
 * (RFC 6749 section 3.2), client credentials in the Authorization header or the
 * body but never both, and never in the query string.
 */
export function readTokenRequest(request: FastifyRequest): TokenRequest {
  const query = request.query as Record<string, unknown>;
  const inQuery = CREDENTIAL_PARAMETERS.find((name) => Object.hasOwn(query, name));
  if (inQuery) throw OAuthError.invalidRequest(`Client credentials must not be sent in the query string (found ${inQuery}).`);
  if (mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    throw OAuthError.invalidRequest('The token request must have an application/x-www-form-urlencoded body.');
  }
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw OAuthError.invalidRequest('The token request body must be encoded as UTF-8.');
  }
  const params = parseFormBody(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
  const grantType = singleParameter(params, 'grant_type');
  const scope = singleParameter(params, 'scope');
  const bodyClientId = singleParameter(params, 'client_id');
  const bodySecret = singleParameter(params, 'client_secret');
  if (singleParameter(params, 'client_assertion') !== undefined) {
    throw OAuthError.invalidClient('Client assertions (private_key_jwt) are not supported for this client.');
  }
  return { grantType, scope, ...clientCredentials(request.headers.authorization, bodyClientId, bodySecret) };
}

function clientCredentials(
  authorization: string | undefined,
  bodyClientId: string | undefined,
  bodySecret: string | undefined,
): Pick<TokenRequest, 'credentials' | 'unauthenticatedClientId'> {
  const basic = parseBasicAuthorization(authorization);
  if (basic) {
    if (bodySecret !== undefined) {
      throw OAuthError.invalidRequest('The client authenticated with more than one method (Basic and client_secret).');
    }
    if (bodyClientId !== undefined && bodyClientId !== basic.clientId) {
      throw OAuthError.invalidRequest('The client_id parameter differs from the client ID in the Authorization header.');
    }
    return { credentials: { ...basic, method: 'client_secret_basic' }, unauthenticatedClientId: undefined };
  }
  if (authorization !== undefined && bodySecret !== undefined) {
    throw OAuthError.invalidRequest('The client authenticated with more than one method (Authorization header and client_secret).');
  }
  if (bodyClientId !== undefined && bodySecret !== undefined) {
    return {
      credentials: { clientId: bodyClientId, clientSecret: bodySecret, method: 'client_secret_post' },
      unauthenticatedClientId: undefined,
    };
  }
  if (bodySecret !== undefined) throw OAuthError.invalidRequest('client_secret was sent without client_id.');
  return { credentials: undefined, unauthenticatedClientId: bodyClientId };
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase();
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FaultResponder } from '../faults/fault-responder.js';
import type { Faults } from '../faults/faults.js';
import type { TokenRequestRecord, UpstreamStats } from '../upstream-stats.js';
import { OAuthError } from './oauth-error.js';
import { readTokenRequest, type TokenRequest } from './token-request.js';
import type { TokenStore } from './token-store.js';

export const TOKEN_PATH = '/oauth/token';

export interface TokenEndpointConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The client authentication methods accepted (RFC 6749 section 2.3.1). */
  readonly authMethods: readonly ('client_secret_basic' | 'client_secret_post')[];
  readonly allowedScopes: readonly string[];
  readonly tokenTtlSeconds: number;
  /** When set, every token request must carry this RFC 8707 `resource` parameter. */
  readonly requiredResource: string | undefined;
}

interface Dependencies {
  readonly config: TokenEndpointConfig;
  readonly tokens: TokenStore;
  readonly faults: Faults;
  readonly responder: FaultResponder;
  readonly stats: UpstreamStats;
}

/** RFC 6749 section 4.4: the client credentials grant, a short pipeline of named checks. */
export function registerTokenEndpoint(app: FastifyInstance, deps: Dependencies): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  // Errors Fastify raises before the handler runs (an unsupported media type, say) are still RFC 6749 errors here.
  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) return reply.code(500).send({ error: 'server_error', error_description: 'Internal server error.' });
    return sendOAuthError(
      reply,
      OAuthError.invalidRequest('The token request must have an application/x-www-form-urlencoded body.'),
      false,
    );
  });

  app.post(TOKEN_PATH, async (request, reply) => {
    const fault = deps.faults.take({ endpoint: 'token', page: undefined });
    if (fault) {
      deps.stats.recordTokenRequest({ ...unread(), outcome: 'fault' });
      return deps.responder.respond(fault, request, reply);
    }
    let tokenRequest: TokenRequest | undefined;
    try {
      tokenRequest = readTokenRequest(request.headers['content-type'], request.body, request.headers.authorization);
      authenticateClient(tokenRequest, deps.config);
      checkGrantType(tokenRequest.grantType);
      const scope = grantedScope(tokenRequest.scope, deps.config.allowedScopes);
      checkResource(tokenRequest.resource, deps.config.requiredResource);
      const accessToken = deps.tokens.issue(deps.config.clientId, scope, deps.config.tokenTtlSeconds);
      deps.stats.recordTokenRequest({ ...describe(tokenRequest), outcome: 'issued' });
      // RFC 6749 section 5.1: the response must not be cached.
      return reply
        .headers({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
        .send({ access_token: accessToken, token_type: 'Bearer', expires_in: deps.config.tokenTtlSeconds, scope });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      deps.stats.recordTokenRequest({ ...(tokenRequest ? describe(tokenRequest) : unread()), outcome: error.error });
      return sendOAuthError(reply, error, tokenRequest?.authMethod === 'client_secret_basic');
    }
  });
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError, usedBasic: boolean): FastifyReply {
  // RFC 6749 section 5.2: a 401 to a client that used the Authorization header carries a matching challenge.
  if (error.status === 401 && usedBasic) reply.header('WWW-Authenticate', 'Basic realm="scim-upstream"');
  return reply.code(error.status).headers({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).send(error.toJSON());
}

function authenticateClient(request: TokenRequest, config: TokenEndpointConfig): void {
  const methodAllowed = request.authMethod !== 'none' && config.authMethods.includes(request.authMethod);
  const idMatches = sameSecret(request.clientId ?? '', config.clientId);
  const secretMatches = sameSecret(request.clientSecret ?? '', config.clientSecret);
  if (!(methodAllowed && idMatches && secretMatches)) throw OAuthError.invalidClient();
}

function checkGrantType(grantType: string | undefined): void {
  if (grantType === undefined) throw OAuthError.invalidRequest('grant_type is required.');
  if (grantType !== 'client_credentials') throw OAuthError.unsupportedGrantType(grantType);
}

/** RFC 6749 section 3.3: every requested scope must be allowed; none requested means all allowed. */
function grantedScope(requested: string | undefined, allowed: readonly string[]): string {
  if (requested === undefined) return allowed.join(' ');
  const scopes = requested.split(' ').filter((scope) => scope !== '');
  const refused = scopes.find((scope) => !allowed.includes(scope));
  if (refused !== undefined) throw OAuthError.invalidScope(refused);
  return [...new Set(scopes)].join(' ');
}

function checkResource(resource: string | undefined, required: string | undefined): void {
  if (required === undefined) return;
  if (resource === undefined) throw OAuthError.invalidTarget(`The resource parameter is required (${required}).`);
  if (resource !== required) throw OAuthError.invalidTarget(`Tokens are only issued for the resource ${required}.`);
}

/** Compares in constant time (digests first, so lengths do not leak either). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function describe(request: TokenRequest): Omit<TokenRequestRecord, 'outcome'> {
  return {
    authMethod: request.authMethod,
    clientId: request.clientId,
    grantType: request.grantType,
    scope: request.scope,
    resource: request.resource,
  };
}

function unread(): Omit<TokenRequestRecord, 'outcome'> {
  return { authMethod: 'none', clientId: undefined, grantType: undefined, scope: undefined, resource: undefined };
}

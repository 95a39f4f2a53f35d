import { OAuthError } from '../errors/oauth-error.js';
import { parseBasicAuthorization } from './basic-credentials.js';
import { type FormParams, singleParameter } from './form-urlencoded.js';

export type SecretAuthenticationMethod = 'client_secret_basic' | 'client_secret_post';

/** RFC 7523 section 2.2: the only client assertion type this server accepts. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The client authentication a request presents, as read off the wire, before anything is checked. */
export type PresentedClientAuthentication =
  | { readonly method: SecretAuthenticationMethod; readonly clientId: string; readonly clientSecret: string }
  /** RFC 7521 section 4.2: client_id is optional beside an assertion; when sent it must match the assertion's sub. */
  | { readonly method: 'private_key_jwt'; readonly clientId: string | undefined; readonly assertion: string };

export interface ClientAuthenticationRequest {
  readonly credentials: PresentedClientAuthentication | undefined;
  /** A client_id sent without any secret or assertion: a client trying to authenticate as a public client. */
  readonly unauthenticatedClientId: string | undefined;
}

/**
 * RFC 6749 section 2.3 and RFC 7521 section 4.2: the client authenticates with
 * HTTP Basic, with client_id and client_secret in the body, or with a JWT
 * assertion; exactly one method, never two (section 2.3: "MUST NOT use more
 * than one authentication method in each request").
 */
export function readClientAuthentication(authorization: string | undefined, params: FormParams): ClientAuthenticationRequest {
  const bodyClientId = singleParameter(params, 'client_id');
  const bodySecret = singleParameter(params, 'client_secret');
  const assertion = singleParameter(params, 'client_assertion');
  const assertionType = singleParameter(params, 'client_assertion_type');
  if (assertion !== undefined || assertionType !== undefined) {
    return assertionAuthentication(authorization, bodyClientId, bodySecret, assertion, assertionType);
  }
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

function assertionAuthentication(
  authorization: string | undefined,
  bodyClientId: string | undefined,
  bodySecret: string | undefined,
  assertion: string | undefined,
  assertionType: string | undefined,
): ClientAuthenticationRequest {
  if (bodySecret !== undefined || parseBasicAuthorization(authorization) !== undefined) {
    throw OAuthError.invalidRequest('The client authenticated with more than one method (a client assertion and a secret).');
  }
  if (assertion === undefined) throw OAuthError.invalidRequest('client_assertion_type was sent without client_assertion.');
  if (assertionType === undefined) throw OAuthError.invalidRequest('client_assertion was sent without client_assertion_type.');
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE) {
    throw OAuthError.invalidClient(`The client assertion type is not supported; use ${JWT_BEARER_ASSERTION_TYPE}.`);
  }
  return { credentials: { method: 'private_key_jwt', clientId: bodyClientId, assertion }, unauthenticatedClientId: undefined };
}

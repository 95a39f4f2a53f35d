import { HttpProblem } from '../common/http/problem.js';

const REALM = 'Bearer realm="orgsync"';

/**
 * RFC 6750 section 3: a request with no token gets a bare challenge (no error
 * code, section 3.1); a bad token gets invalid_token; a token lacking a scope
 * gets 403 insufficient_scope with the scope needed. The body is a problem
 * document, the challenge is in WWW-Authenticate.
 */
export const BearerErrors = {
  missingToken(): HttpProblem {
    return new HttpProblem(401, 'unauthorized', 'Unauthorized', 'This endpoint requires a bearer access token.', {
      'www-authenticate': REALM,
    });
  },

  invalidToken(description: string): HttpProblem {
    return new HttpProblem(401, 'invalid_token', 'Unauthorized', description, {
      'www-authenticate': `${REALM}, error="invalid_token", error_description="${description}"`,
    });
  },

  invalidRequest(description: string): HttpProblem {
    return new HttpProblem(400, 'invalid_request', 'Bad Request', description, {
      'www-authenticate': `${REALM}, error="invalid_request", error_description="${description}"`,
    });
  },

  insufficientScope(required: readonly string[]): HttpProblem {
    const scope = required.join(' ');
    return new HttpProblem(
      403,
      'insufficient_scope',
      'Forbidden',
      `The access token lacks the scope this endpoint requires: ${scope}.`,
      { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
      { required_scope: scope },
    );
  },
};

import { applyDecorators, Controller, Delete, Get, HttpCode, Patch, Post, Put, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/public.decorator.js';
import { OAuthError } from '../errors/oauth-error.js';
import { OAuthErrorFilter } from '../errors/oauth-error.filter.js';
import { OAuthErrorResponse, TokenRequestForm, TokenResponse } from './token-endpoint.schemas.js';
import { readTokenRequest } from './token-request.js';
import { TokenService } from './token.service.js';
import { TOKEN_PATH } from '../oauth-paths.js';

export { TOKEN_PATH };

const TOKEN_ENDPOINT_DESCRIPTION = `The client credentials grant (RFC 6749 section 4.4). The client authenticates with HTTP Basic
(client_secret_basic: the form-urlencoded client ID and secret, RFC 6749 section 2.3.1), with client_id and client_secret
in the body (client_secret_post), or with a JWT signed by its registered key (private_key_jwt, RFC 7523 section 2.2:
client_assertion_type urn:ietf:params:oauth:client-assertion-type:jwt-bearer and client_assertion; iss and sub the client ID,
aud the issuer or this endpoint's URL, exp at most 5 minutes ahead, a jti used once), whichever it is registered for; never
two methods, never in the query string. Responses are never cached, and there is no refresh token.`;

/** Documents the other methods, which exist only to refuse with an RFC 6749 error. */
const ApiPostOnly = () =>
  applyDecorators(
    ApiOperation({ summary: 'Refused: the token endpoint accepts POST only (RFC 6749 section 3.2)' }),
    ApiBadRequestResponse({ type: OAuthErrorResponse, description: '`invalid_request`, with `Allow: POST`.' }),
  );

@Controller(TOKEN_PATH)
@Public()
@UseFilters(OAuthErrorFilter)
@ApiTags('OAuth 2.0')
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  /** RFC 6749 section 5.1 success response. */
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Obtain an access token', description: TOKEN_ENDPOINT_DESCRIPTION })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: TokenRequestForm })
  @ApiOkResponse({ type: TokenResponse, description: 'RFC 6749 section 5.1.' })
  @ApiBadRequestResponse({
    type: OAuthErrorResponse,
    description: 'RFC 6749 section 5.2: `invalid_request`, `invalid_scope`, `unauthorized_client` or `unsupported_grant_type`.',
  })
  @ApiUnauthorizedResponse({
    type: OAuthErrorResponse,
    description: 'RFC 6749 section 5.2: `invalid_client`, with a `WWW-Authenticate: Basic` challenge.',
  })
  async token(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const issued = await this.tokens.exchange(readTokenRequest(request));
    void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
  }

  /** Section 3.2: "The client MUST use the HTTP POST method when making access token requests." */
  @Get()
  @ApiPostOnly()
  get(): never {
    throw postOnly();
  }

  @Put()
  @ApiPostOnly()
  put(): never {
    throw postOnly();
  }

  @Patch()
  @ApiPostOnly()
  patch(): never {
    throw postOnly();
  }

  @Delete()
  @ApiPostOnly()
  delete(): never {
    throw postOnly();
  }
}

function postOnly(): OAuthError {
  return OAuthError.invalidRequest('The token endpoint accepts POST only.', { allow: 'POST' });
}

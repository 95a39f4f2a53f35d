import { Controller, Delete, Get, HttpCode, Patch, Post, Put, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/public.decorator.js';
import { OAuthError } from '../errors/oauth-error.js';
import { OAuthErrorFilter } from '../errors/oauth-error.filter.js';
import { readTokenRequest } from './token-request.js';
import { TokenService } from './token.service.js';

export const TOKEN_PATH = 'oauth/token';

@Controller(TOKEN_PATH)
@Public()
@UseFilters(OAuthErrorFilter)
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  /** RFC 6749 section 5.1 success response. */
  @Post()
  @HttpCode(200)
  async token(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const issued = await this.tokens.exchange(readTokenRequest(request));
    void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
  }

  /** Section 3.2: "The client MUST use the HTTP POST method when making access token requests." */
  @Get()
  get(): never {
    throw postOnly();
  }

  @Put()
  put(): never {
    throw postOnly();
  }

  @Patch()
  patch(): never {
    throw postOnly();
  }

  @Delete()
  delete(): never {
    throw postOnly();
  }
}

function postOnly(): OAuthError {
  return OAuthError.invalidRequest('The token endpoint accepts POST only.', { allow: 'POST' });
}

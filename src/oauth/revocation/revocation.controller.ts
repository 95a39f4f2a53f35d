import { Controller, Delete, Get, HttpCode, Patch, Post, Put, Req, Res, UseFilters } from '@nestjs/common';
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
import { OAuthErrorFilter } from '../errors/oauth-error.filter.js';
import { postOnly, readPresentedTokenRequest } from '../introspection/presented-token-request.js';
import { REVOCATION_PATH } from '../oauth-paths.js';
import { OAuthErrorResponse } from '../token/token-endpoint.schemas.js';
import { RevocationRequestForm } from './revocation.schemas.js';
import { RevocationService } from './revocation.service.js';

const DESCRIPTION = `RFC 7009 token revocation. The client authenticates as at the token endpoint and may revoke only
tokens issued to it; the token stops being accepted on every replica within a second. The answer is 200 with an empty
body also for unknown, malformed, expired, already revoked or other clients' tokens (RFC 7009 section 2.2).`;

const POST_ONLY = { summary: 'Refused: the revocation endpoint accepts POST only (RFC 7009 section 2.1)' };
const POST_ONLY_RESPONSE = { type: OAuthErrorResponse, description: '`invalid_request`, with `Allow: POST`.' };

@Controller(REVOCATION_PATH)
@Public()
@UseFilters(OAuthErrorFilter)
@ApiTags('OAuth 2.0')
export class RevocationController {
  constructor(private readonly revocation: RevocationService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an access token', description: DESCRIPTION })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: RevocationRequestForm })
  @ApiOkResponse({ description: 'RFC 7009 section 2.2: the token is revoked, or there was nothing to revoke. Empty body.' })
  @ApiBadRequestResponse({ type: OAuthErrorResponse, description: 'RFC 6749 section 5.2: `invalid_request` (no `token`, say).' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponse, description: '`invalid_client`, with a `WWW-Authenticate: Basic` challenge.' })
  async revoke(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.revocation.revoke(readPresentedTokenRequest(request, 'revocation'));
    void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  @Get()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  get(): never {
    throw postOnly('revocation');
  }

  @Put()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  put(): never {
    throw postOnly('revocation');
  }

  @Patch()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  patch(): never {
    throw postOnly('revocation');
  }

  @Delete()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  delete(): never {
    throw postOnly('revocation');
  }
}

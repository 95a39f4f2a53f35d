import { Controller, Delete, Get, HttpCode, Patch, Post, Put, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/public.decorator.js';
import { OAuthErrorFilter } from '../errors/oauth-error.filter.js';
import { INTROSPECTION_PATH } from '../oauth-paths.js';
import { OAuthErrorResponse } from '../token/token-endpoint.schemas.js';
import { IntrospectionRequestForm, IntrospectionResponse } from './introspection.schemas.js';
import { IntrospectionService } from './introspection.service.js';
import { postOnly, readPresentedTokenRequest } from './presented-token-request.js';

const DESCRIPTION = `RFC 7662 token introspection, for resource servers. The caller authenticates as at the token endpoint
and must hold the introspection permission (\`introspection_allowed\`). A token is active exactly when the resource APIs
would accept it; tokens of another organization are reported inactive, except to clients holding the admin scope.`;

/** Documents the other methods, which exist only to refuse with an RFC 6749 error. */
const POST_ONLY = { summary: 'Refused: the introspection endpoint accepts POST only (RFC 7662 section 2.1)' };
const POST_ONLY_RESPONSE = { type: OAuthErrorResponse, description: '`invalid_request`, with `Allow: POST`.' };

@Controller(INTROSPECTION_PATH)
@Public()
@UseFilters(OAuthErrorFilter)
@ApiTags('OAuth 2.0')
export class IntrospectionController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Introspect an access token', description: DESCRIPTION })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: IntrospectionRequestForm })
  @ApiOkResponse({ type: IntrospectionResponse, description: 'RFC 7662 section 2.2; `{"active": false}` alone for an inactive token.' })
  @ApiBadRequestResponse({ type: OAuthErrorResponse, description: 'RFC 6749 section 5.2: `invalid_request` (no `token`, say).' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponse, description: '`invalid_client`, with a `WWW-Authenticate: Basic` challenge.' })
  @ApiForbiddenResponse({ type: OAuthErrorResponse, description: '`unauthorized_client`: the client may not introspect tokens.' })
  async introspect(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<IntrospectionResponse> {
    const response = await this.introspection.introspect(readPresentedTokenRequest(request, 'introspection'));
    // RFC 7662 section 4: the answer is about a live token and must not be cached.
    void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    return response;
  }

  @Get()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  get(): never {
    throw postOnly('introspection');
  }

  @Put()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  put(): never {
    throw postOnly('introspection');
  }

  @Patch()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  patch(): never {
    throw postOnly('introspection');
  }

  @Delete()
  @ApiOperation(POST_ONLY)
  @ApiBadRequestResponse(POST_ONLY_RESPONSE)
  delete(): never {
    throw postOnly('introspection');
  }
}

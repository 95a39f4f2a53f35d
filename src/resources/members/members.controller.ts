import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../auth/current-principal.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { etagOf, ifNoneMatchHolds } from '../shared/etag.js';
import { RequestHeader } from '../shared/http-headers.js';
import { ApiIfMatch, ApiResourceId, etagHeader } from '../shared/resource-api-docs.js';
import { IdempotencyService } from '../shared/idempotency.service.js';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from '../../common/http/api-problem-responses.decorator.js';
import { ValidBody, ValidQuery } from '../../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../../common/pagination/page.response.js';
import { ResourceCursors } from '../shared/resource-cursors.js';
import { CreateMemberDto, toMemberFields } from './dto/create-member.dto.js';
import { ListMembersQueryDto } from './dto/list-members.query.js';
import { MemberResponse, toMemberResponse } from './dto/member.response.js';
import { toMemberChanges, UpdateMemberDto } from './dto/update-member.dto.js';
import { MembersService } from './members.service.js';

/** The caller's organization's members. The organization is the token's; no route takes one from the request. */
@Controller('api/v1/members')
@ApiTags('Members')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly cursors: ResourceCursors,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @RequireScopes('members:read')
  @ApiOperation({
    summary: 'List members',
    description: 'In a stable order, one page at a time: walking every page returns each member once, even while members change.',
  })
  @ApiOkResponse({ type: PageOf(MemberResponse) })
  @ApiProblemResponses(400)
  async list(@CurrentPrincipal() principal: Principal, @ValidQuery() query: ListMembersQueryDto): Promise<PageResponse<MemberResponse>> {
    const filters = {
      updatedSince: query.updated_since === undefined ? undefined : new Date(query.updated_since),
      email: query.email,
      active: query.active,
      includeDeleted: query.include_deleted,
    };
    const scope = {
      organizationId: principal.organizationId,
      collection: 'members',
      filters: { updated_since: query.updated_since, email: query.email, active: query.active, include_deleted: query.include_deleted },
    };
    const page = await this.cursors.page(scope, query, (afterId, limit) =>
      this.members.list(principal.organizationId, filters, limit, afterId),
    );
    return { data: page.rows.map(toMemberResponse), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('members:read')
  @ApiOperation({ summary: 'Read a member' })
  @ApiResourceId('member')
  @ApiHeader({ name: 'If-None-Match', required: false, description: '304 when the member still has this ETag.' })
  @ApiOkResponse({ type: MemberResponse, headers: etagHeader('member') })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match).' })
  @ApiProblemResponses(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @RequestHeader('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MemberResponse | undefined> {
    const member = await this.members.get(principal.organizationId, id);
    void reply.header('etag', etagOf(member.version));
    if (ifNoneMatchHolds(ifNoneMatch, member.version)) {
      void reply.status(304);
      return undefined;
    }
    return toMemberResponse(member);
  }

  @Post()
  @RequireScopes('members:write')
  @ApiOperation({ summary: 'Create a member' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key and body returns the first answer and creates nothing; another body is a 422.',
  })
  @ApiCreatedResponse({ type: MemberResponse, headers: etagHeader('member') })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 409, 422)
  async create(
    @CurrentPrincipal() principal: Principal,
    @ValidBody() dto: CreateMemberDto,
    @RequestHeader('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MemberResponse> {
    const outcome = await this.idempotency.run(
      { organizationId: principal.organizationId, scope: 'POST /api/v1/members', key: idempotencyKey, body: dto },
      async (manager) => ({
        status: 201,
        body: toMemberResponse(await this.members.create(principal.organizationId, toMemberFields(dto), manager)),
      }),
    );
    void reply.status(outcome.status).header('location', `/api/v1/members/${outcome.body.id}`).header('etag', etagOf(1));
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return outcome.body;
  }

  @Patch(':id')
  @RequireScopes('members:write')
  @ApiOperation({
    summary: 'Change a member',
    description: 'Fields left out stay; optional fields set to null are cleared. Synced members are read-only (409).',
  })
  @ApiResourceId('member')
  @ApiIfMatch('member')
  @ApiOkResponse({ type: MemberResponse, headers: etagHeader('member') })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404, 409, 412)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @ValidBody() dto: UpdateMemberDto,
    @RequestHeader('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MemberResponse> {
    const member = await this.members.update(principal.organizationId, id, toMemberChanges(dto), ifMatch);
    void reply.header('etag', etagOf(member.version));
    return toMemberResponse(member);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('members:write')
  @ApiOperation({
    summary: 'Delete a member',
    description: 'A soft delete: the member stays as a tombstone that updated_since reads report.',
  })
  @ApiResourceId('member')
  @ApiIfMatch('member')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(404, 409, 412)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @RequestHeader('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.members.delete(principal.organizationId, id, ifMatch);
  }
}

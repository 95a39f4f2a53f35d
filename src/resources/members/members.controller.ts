import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../auth/current-principal.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { etagOf, ifNoneMatchHolds } from '../shared/etag.js';
import { RequestHeader } from '../shared/http-headers.js';
import { IdempotencyService } from '../shared/idempotency.service.js';
import type { PageResponse } from '../shared/page.js';
import { ResourceCursors } from '../shared/resource-cursors.js';
import { CreateMemberDto, toMemberFields } from './dto/create-member.dto.js';
import { ListMembersQueryDto } from './dto/list-members.query.js';
import { type MemberResponse, toMemberResponse } from './dto/member.response.js';
import { toMemberChanges, UpdateMemberDto } from './dto/update-member.dto.js';
import { MembersService } from './members.service.js';

/** The caller's organization's members. The organization is the token's; no route takes one from the request. */
@Controller('api/v1/members')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly cursors: ResourceCursors,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @RequireScopes('members:read')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListMembersQueryDto): Promise<PageResponse<MemberResponse>> {
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
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateMemberDto,
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
    void reply
      .status(outcome.status)
      .header('location', `/api/v1/members/${outcome.body.id}`)
      .header('etag', etagOf(1));
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return outcome.body;
  }

  @Patch(':id')
  @RequireScopes('members:write')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: UpdateMemberDto,
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
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @RequestHeader('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.members.delete(principal.organizationId, id, ifMatch);
  }
}

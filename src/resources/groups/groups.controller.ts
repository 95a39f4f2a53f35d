import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../auth/current-principal.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from '../../common/http/api-problem-responses.decorator.js';
import { ValidBody, ValidQuery } from '../../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../../common/pagination/page.response.js';
import { MemberResponse, toMemberResponse } from '../members/dto/member.response.js';
import { etagOf, ifNoneMatchHolds } from '../shared/etag.js';
import { RequestHeader } from '../shared/http-headers.js';
import { ApiIfMatch, ApiResourceId, etagHeader } from '../shared/resource-api-docs.js';
import { IdempotencyService } from '../shared/idempotency.service.js';
import { ResourceCursors } from '../shared/resource-cursors.js';
import { CreateGroupDto, toGroupFields } from './dto/create-group.dto.js';
import { GroupResponse, toGroupResponse } from './dto/group.response.js';
import { ListGroupMembersQueryDto } from './dto/list-group-members.query.js';
import { ListGroupsQueryDto } from './dto/list-groups.query.js';
import { toGroupChanges, UpdateGroupDto } from './dto/update-group.dto.js';
import { GroupsService } from './groups.service.js';

/** The caller's organization's groups. The organization is the token's; no route takes one from the request. */
@Controller('api/v1/groups')
@ApiTags('Groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly cursors: ResourceCursors,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @RequireScopes('groups:read')
  @ApiOperation({
    summary: 'List groups',
    description: 'In a stable order, one page at a time: walking every page returns each group once, even while groups change.',
  })
  @ApiOkResponse({ type: PageOf(GroupResponse) })
  @ApiProblemResponses(400)
  async list(@CurrentPrincipal() principal: Principal, @ValidQuery() query: ListGroupsQueryDto): Promise<PageResponse<GroupResponse>> {
    const filters = {
      updatedSince: query.updated_since === undefined ? undefined : new Date(query.updated_since),
      externalId: query.external_id,
      displayName: query.display_name,
      includeDeleted: query.include_deleted,
    };
    const scope = {
      organizationId: principal.organizationId,
      collection: 'groups',
      filters: {
        updated_since: query.updated_since,
        external_id: query.external_id,
        display_name: query.display_name,
        include_deleted: query.include_deleted,
      },
    };
    const page = await this.cursors.page(scope, query, (afterId, limit) =>
      this.groups.list(principal.organizationId, filters, limit, afterId),
    );
    const views = await this.groups.withMemberIds(principal.organizationId, page.rows);
    return { data: views.map(toGroupResponse), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('groups:read')
  @ApiOperation({ summary: 'Read a group' })
  @ApiResourceId('group')
  @ApiHeader({ name: 'If-None-Match', required: false, description: '304 when the group still has this ETag.' })
  @ApiOkResponse({ type: GroupResponse, headers: etagHeader('group') })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match).' })
  @ApiProblemResponses(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @RequestHeader('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupResponse | undefined> {
    const view = await this.groups.get(principal.organizationId, id);
    void reply.header('etag', etagOf(view.group.version));
    if (ifNoneMatchHolds(ifNoneMatch, view.group.version)) {
      void reply.status(304);
      return undefined;
    }
    return toGroupResponse(view);
  }

  /** Member records, so the token needs members:read as well. */
  @Get(':id/members')
  @RequireScopes('groups:read', 'members:read')
  @ApiOperation({ summary: 'List the members of a group', description: 'The group’s live members as member records, in id order.' })
  @ApiResourceId('group')
  @ApiOkResponse({ type: PageOf(MemberResponse) })
  @ApiProblemResponses(400, 404)
  async members(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @ValidQuery() query: ListGroupMembersQueryDto,
  ): Promise<PageResponse<MemberResponse>> {
    const scope = { organizationId: principal.organizationId, collection: `groups/${id}/members`, filters: {} };
    const page = await this.cursors.page(scope, query, (afterId, limit) =>
      this.groups.members(principal.organizationId, id, limit, afterId),
    );
    return { data: page.rows.map(toMemberResponse), next_cursor: page.nextCursor };
  }

  @Post()
  @RequireScopes('groups:write')
  @ApiOperation({ summary: 'Create a group' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key and body returns the first answer and creates nothing; another body is a 422.',
  })
  @ApiCreatedResponse({ type: GroupResponse, headers: etagHeader('group') })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 422)
  async create(
    @CurrentPrincipal() principal: Principal,
    @ValidBody() dto: CreateGroupDto,
    @RequestHeader('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupResponse> {
    const outcome = await this.idempotency.run(
      { organizationId: principal.organizationId, scope: 'POST /api/v1/groups', key: idempotencyKey, body: dto },
      async (manager) => ({
        status: 201,
        body: toGroupResponse(await this.groups.create(principal.organizationId, toGroupFields(dto), manager)),
      }),
    );
    void reply.status(outcome.status).header('location', `/api/v1/groups/${outcome.body.id}`).header('etag', etagOf(1));
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return outcome.body;
  }

  @Patch(':id')
  @RequireScopes('groups:write')
  @ApiOperation({
    summary: 'Change a group',
    description:
      'Fields left out stay; external_id set to null is cleared; member_ids replaces the whole membership. Synced groups are read-only (409).',
  })
  @ApiResourceId('group')
  @ApiIfMatch('group')
  @ApiOkResponse({ type: GroupResponse, headers: etagHeader('group') })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404, 409, 412)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @ValidBody() dto: UpdateGroupDto,
    @RequestHeader('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupResponse> {
    const view = await this.groups.update(principal.organizationId, id, toGroupChanges(dto), ifMatch);
    void reply.header('etag', etagOf(view.group.version));
    return toGroupResponse(view);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('groups:write')
  @ApiOperation({
    summary: 'Delete a group',
    description: 'A soft delete: the group stays as a tombstone, without members, that updated_since reads report.',
  })
  @ApiResourceId('group')
  @ApiIfMatch('group')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(404, 409, 412)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @RequestHeader('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.groups.delete(principal.organizationId, id, ifMatch);
  }
}

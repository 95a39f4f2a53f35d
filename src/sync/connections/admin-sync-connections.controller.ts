import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from '../../common/http/api-problem-responses.decorator.js';
import { ValidBody, ValidQuery } from '../../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../../common/pagination/page.response.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { CreateSyncConnectionDto, toCreateSyncConnection } from './dto/create-sync-connection.dto.js';
import { SyncConnectionResponse, toSyncConnectionResponse } from './dto/sync-connection.response.js';
import { toSyncConnectionChanges, UpdateSyncConnectionDto } from './dto/update-sync-connection.dto.js';
import { SyncConnectionsService } from './sync-connections.service.js';

const ApiOrganizationId = () => ApiParam({ name: 'organizationId', description: 'The organization ID.', format: 'uuid' });
const ApiConnectionId = () => ApiParam({ name: 'id', description: 'The sync connection ID.', format: 'uuid' });

/** Where organizations' people and groups are synced from. Platform admins only: the upstream credentials are theirs to set. */
@Controller('admin')
@RequireScopes('admin')
@ApiTags('Admin: sync connections')
export class AdminSyncConnectionsController {
  constructor(private readonly connections: SyncConnectionsService) {}

  @Post('organizations/:organizationId/sync-connections')
  @ApiOperation({
    summary: 'Create a sync connection for an organization',
    description: 'The client secret is stored encrypted and never returned. The connection is due to run at once.',
  })
  @ApiOrganizationId()
  @ApiCreatedResponse({ type: SyncConnectionResponse })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404)
  async create(
    @Param('organizationId') organizationId: string,
    @ValidBody() dto: CreateSyncConnectionDto,
  ): Promise<SyncConnectionResponse> {
    return toSyncConnectionResponse(await this.connections.create(organizationId, toCreateSyncConnection(dto)));
  }

  @Get('organizations/:organizationId/sync-connections')
  @ApiOperation({ summary: "List an organization's sync connections", description: 'Oldest first, one page at a time.' })
  @ApiOrganizationId()
  @ApiOkResponse({ type: PageOf(SyncConnectionResponse) })
  @ApiProblemResponses(400, 404)
  async list(
    @Param('organizationId') organizationId: string,
    @ValidQuery() query: PageQueryDto,
  ): Promise<PageResponse<SyncConnectionResponse>> {
    const page = await this.connections.listByOrganization(organizationId, query.limit, query.cursor);
    return { data: page.data.map(toSyncConnectionResponse), next_cursor: page.nextCursor };
  }

  @Get('sync-connections/:id')
  @ApiOperation({ summary: 'Read a sync connection' })
  @ApiConnectionId()
  @ApiOkResponse({ type: SyncConnectionResponse })
  @ApiProblemResponses(404)
  async get(@Param('id') id: string): Promise<SyncConnectionResponse> {
    return toSyncConnectionResponse(await this.connections.get(id));
  }

  @Patch('sync-connections/:id')
  @ApiOperation({
    summary: 'Change a sync connection',
    description: 'Fields left out keep their value. A new base_url resets the watermark: the next run is a full listing.',
  })
  @ApiConnectionId()
  @ApiOkResponse({ type: SyncConnectionResponse })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404)
  async update(@Param('id') id: string, @ValidBody() dto: UpdateSyncConnectionDto): Promise<SyncConnectionResponse> {
    return toSyncConnectionResponse(await this.connections.update(id, toSyncConnectionChanges(dto)));
  }

  @Delete('sync-connections/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a sync connection', description: 'It stops running at once; the records it synced stay.' })
  @ApiConnectionId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(404)
  async delete(@Param('id') id: string): Promise<void> {
    await this.connections.delete(id);
  }

  @Post('sync-connections/:id/confirm-deletions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Let the next full run delete past the circuit breaker',
    description: 'Once: for the next full run only, deletions beyond max_delete_percent go ahead instead of stopping the run.',
  })
  @ApiConnectionId()
  @ApiOkResponse({ type: SyncConnectionResponse })
  @ApiProblemResponses(404)
  async confirmDeletions(@Param('id') id: string): Promise<SyncConnectionResponse> {
    return toSyncConnectionResponse(await this.connections.confirmDeletions(id));
  }
}

import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator.js';
import { ValidQuery } from '../../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../../common/pagination/page.response.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { SyncRunResponse, toSyncRunResponse } from './dto/sync-run.response.js';
import { SyncRunsQueryService } from './sync-runs-query.service.js';

/** Run history of any connection, for platform admins. */
@Controller('admin')
@RequireScopes('admin')
@ApiTags('Admin: sync connections')
export class AdminSyncRunsController {
  constructor(private readonly runs: SyncRunsQueryService) {}

  @Get('sync-connections/:id/runs')
  @ApiOperation({ summary: "List a sync connection's runs", description: 'Newest first, one page at a time.' })
  @ApiParam({ name: 'id', description: 'The sync connection ID.', format: 'uuid' })
  @ApiOkResponse({ type: PageOf(SyncRunResponse) })
  @ApiProblemResponses(400, 404)
  async list(@Param('id') connectionId: string, @ValidQuery() query: PageQueryDto): Promise<PageResponse<SyncRunResponse>> {
    const page = await this.runs.listByConnection(connectionId, query.limit, query.cursor);
    return { data: page.data.map(toSyncRunResponse), next_cursor: page.nextCursor };
  }

  @Get('sync-runs/:id')
  @ApiOperation({ summary: 'Read a sync run' })
  @ApiParam({ name: 'id', description: 'The sync run ID.', format: 'uuid' })
  @ApiOkResponse({ type: SyncRunResponse })
  @ApiProblemResponses(404)
  async get(@Param('id') id: string): Promise<SyncRunResponse> {
    return toSyncRunResponse(await this.runs.get(id));
  }
}

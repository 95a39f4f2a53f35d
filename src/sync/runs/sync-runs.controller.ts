import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator.js';
import { ValidQuery } from '../../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../../common/pagination/page.response.js';
import { ResourceCursors } from '../../resources/shared/resource-cursors.js';
import { ListSyncRunsQueryDto } from './dto/list-sync-runs.query.js';
import { SyncRunResponse, toSyncRunResponse } from './dto/sync-run.response.js';
import { SyncRunsQueryService } from './sync-runs-query.service.js';

/** The caller's organization's sync runs. The organization is the token's; no route takes one from the request. */
@Controller('api/v1/sync/runs')
@ApiTags('Sync')
export class SyncRunsController {
  constructor(
    private readonly runs: SyncRunsQueryService,
    private readonly cursors: ResourceCursors,
  ) {}

  @Get()
  @RequireScopes('sync:read')
  @ApiOperation({
    summary: "List the organization's sync runs",
    description: 'Newest first, one page at a time; connection_id narrows the list to one connection (404 if it is not one of yours).',
  })
  @ApiOkResponse({ type: PageOf(SyncRunResponse) })
  @ApiProblemResponses(400, 404)
  async list(@CurrentPrincipal() principal: Principal, @ValidQuery() query: ListSyncRunsQueryDto): Promise<PageResponse<SyncRunResponse>> {
    const { organizationId } = principal;
    const scope = { organizationId, collection: 'sync/runs', filters: { connection_id: query.connection_id } };
    const page = await this.cursors.page(scope, query, (beforeId, limit) =>
      this.runs.listByOrganization(organizationId, query.connection_id, limit, beforeId),
    );
    return { data: page.rows.map(toSyncRunResponse), next_cursor: page.nextCursor };
  }
}

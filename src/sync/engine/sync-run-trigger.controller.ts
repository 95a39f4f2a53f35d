import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator.js';
import { SyncRunResponse, toSyncRunResponse } from '../runs/dto/sync-run.response.js';
import { SyncTriggerService } from './sync-trigger.service.js';

@Controller('admin/sync-connections')
@RequireScopes('admin')
@ApiTags('Admin: sync')
export class SyncRunTriggerController {
  constructor(private readonly trigger: SyncTriggerService) {}

  /** 202: the run is queued; a worker (this process or another replica) takes it within a poll interval. */
  @Post(':id/runs')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a sync connection now', description: 'Queues a run; asking again before it starts returns the same run.' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The sync connection ID.' })
  @ApiAcceptedResponse({ type: SyncRunResponse })
  @ApiProblemResponses(404, 409)
  async run(@Param('id') id: string): Promise<SyncRunResponse> {
    return toSyncRunResponse(await this.trigger.requestRun(id));
  }
}

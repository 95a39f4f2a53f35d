import { Controller, Get, Header, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { LivenessResponse, ReadinessResponse } from './health.schemas.js';
import { ReadinessChecks } from './readiness.checks.js';

/**
 * Probes for orchestrators and load balancers: public (a probe carries no
 * token), never cached, never audited, and outside the OAuth rate limits.
 */
@Controller('health')
@Public()
@ApiTags('Health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ReadinessChecks,
  ) {}

  @Get('live')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Liveness: the process answers',
    description: 'Touches nothing else (no database), so a database outage never makes an orchestrator restart the replica.',
  })
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Readiness: this replica can serve traffic',
    description:
      'Ready when the database answers, no migration is pending, the signing key is loaded (ROLE api or both; a worker signs no ' +
      'token) and the replica is not shutting down. ' +
      'Otherwise 503, naming the failed checks in `error`.',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: ReadinessResponse, description: 'Not ready; `error` names the failed checks.' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks.forRole());
    } catch (error) {
      // Terminus reports "not ready" as a 503 exception whose response is the result; a probe wants that body, not a problem document.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}

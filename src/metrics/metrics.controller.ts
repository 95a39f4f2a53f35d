import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { MetricsRegistry } from './metrics-registry.js';

export const METRICS_PATH = 'metrics';

const SCRAPE = {
  summary: 'Metrics in the Prometheus text format',
  description:
    'HTTP requests and latency by route template, tokens issued and refused, signing keys, sync runs, the database pool and ' +
    'process metrics, all prefixed orgsync_. Never cached.',
};
const SCRAPE_RESPONSE = { description: 'The Prometheus text exposition format.', schema: { type: 'string' } } as const;

/** The scrape itself, shared by both controllers; one of them is loaded, as METRICS_ACCESS says. */
async function scrape(metrics: MetricsRegistry, reply: FastifyReply): Promise<string> {
  const body = await metrics.render();
  void reply.type(metrics.contentType);
  return body;
}

/** METRICS_ACCESS=scope (the default): a bearer token with the platform-only metrics:read scope. */
@Controller(METRICS_PATH)
@ApiTags('Operations')
export class ScopedMetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @RequireScopes('metrics:read')
  @Header('cache-control', 'no-store')
  @ApiOperation(SCRAPE)
  @ApiProduces('text/plain')
  @ApiOkResponse(SCRAPE_RESPONSE)
  read(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return scrape(this.metrics, reply);
  }
}

/** METRICS_ACCESS=public: for a server whose main port only a private network reaches. */
@Controller(METRICS_PATH)
@ApiTags('Operations')
export class PublicMetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Public()
  @Header('cache-control', 'no-store')
  @ApiOperation(SCRAPE)
  @ApiProduces('text/plain')
  @ApiOkResponse(SCRAPE_RESPONSE)
  read(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return scrape(this.metrics, reply);
  }
}

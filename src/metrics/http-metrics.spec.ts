import Fastify, { type FastifyInstance } from 'fastify';
import { HttpMetrics, registerHttpMetrics } from './http-metrics.js';
import { MetricsRegistry } from './metrics-registry.js';

describe('registerHttpMetrics', () => {
  let fastify: FastifyInstance;
  let registry: MetricsRegistry;
  let baseUrl: string;

  beforeEach(async () => {
    fastify = Fastify();
    registry = new MetricsRegistry();
    registerHttpMetrics(fastify, new HttpMetrics(registry));
    fastify.get('/api/v1/members/:id', (request, reply) => reply.code(404).send({}));
    fastify.post('/oauth/token', () => ({ ok: true }));
    baseUrl = await fastify.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(() => fastify.close());

  const scrape = () => registry.registry.metrics();
  const send = (method: string, path: string) => fetch(`${baseUrl}${path}`, { method }).then((response) => response.arrayBuffer());

  it('labels requests by route template and status, never by their path', async () => {
    await send('GET', '/api/v1/members/0190f5a0-0000-7000-8000-00000000beef');
    await send('GET', '/api/v1/members/another-id?x=secret');
    await send('POST', '/oauth/token');
    const text = await scrape();
    expect(text).toContain('orgsync_http_requests_total{method="GET",route="/api/v1/members/:id",status="404"} 2');
    expect(text).toContain('orgsync_http_requests_total{method="POST",route="/oauth/token",status="200"} 1');
    expect(text).toContain('orgsync_http_request_duration_seconds_count{method="GET",route="/api/v1/members/:id",status="404"} 2');
    expect(text).not.toMatch(/beef|another-id|secret/);
  });

  it('counts requests that matched no route as unmatched, whatever their path and method', async () => {
    await send('GET', '/wp-admin/0190f5a0-0000-7000-8000-00000000beef');
    await send('PROPFIND', '/anything');
    const text = await scrape();
    expect(text).toContain('orgsync_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('orgsync_http_requests_total{method="other",route="unmatched",status="404"} 1');
    expect(text).not.toMatch(/wp-admin|beef|anything/);
  });
});

import { jest } from '@jest/globals';
import { Counter, Histogram } from 'prom-client';
import { HttpMetrics } from './http-metrics.js';
import { MetricsRegistry } from './metrics-registry.js';

describe('HttpMetrics series', () => {
  afterEach(() => jest.restoreAllMocks());

  it('builds the children of a label set once and reuses them for every later response', async () => {
    const counterLabels = jest.spyOn(Counter.prototype, 'labels');
    const histogramLabels = jest.spyOn(Histogram.prototype, 'labels');
    const registry = new MetricsRegistry();
    const metrics = new HttpMetrics(registry);

    for (let i = 0; i < 3; i++) metrics.observe('GET', '/api/v1/members/:id', 200, 4);
    metrics.observe('GET', '/api/v1/members/:id', 404, 2);

    expect(counterLabels).toHaveBeenCalledTimes(2);
    expect(histogramLabels).toHaveBeenCalledTimes(2);
    const text = await registry.registry.metrics();
    expect(text).toContain('orgsync_http_requests_total{method="GET",route="/api/v1/members/:id",status="200"} 3');
    expect(text).toContain('orgsync_http_request_duration_seconds_sum{method="GET",route="/api/v1/members/:id",status="200"} 0.012');
    expect(text).toContain('orgsync_http_requests_total{method="GET",route="/api/v1/members/:id",status="404"} 1');
  });

  it('keys unbounded methods on their bounded label, so an odd method adds no series', async () => {
    const registry = new MetricsRegistry();
    const metrics = new HttpMetrics(registry);

    metrics.observe('PROPFIND', undefined, 404, 1);
    metrics.observe('BREW', undefined, 404, 1);

    expect(await registry.registry.metrics()).toContain('orgsync_http_requests_total{method="other",route="unmatched",status="404"} 2');
  });
});

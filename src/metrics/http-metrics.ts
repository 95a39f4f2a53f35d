import { Injectable } from '@nestjs/common';
import type { FastifyInstance, onResponseHookHandler } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { methodLabel, routeLabel } from './metric-labels.js';
import { MetricsRegistry } from './metrics-registry.js';

const LABELS = ['method', 'route', 'status'] as const;

/** Requests by route template and status, and their latency. */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<(typeof LABELS)[number]>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;
  private readonly series = new Map<string, SeriesChildren>();

  constructor(metrics: MetricsRegistry) {
    this.requests = new Counter({
      name: 'orgsync_http_requests_total',
      help: 'HTTP requests answered, by method, route template (unmatched: no route) and status.',
      labelNames: LABELS,
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'orgsync_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its response, by method, route template and status.',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
  }

  observe(method: string, route: string | undefined, status: number, milliseconds: number): void {
    const series = this.seriesOf(methodLabel(method), routeLabel(route), status);
    series.requests.inc();
    series.duration.observe(milliseconds / 1000);
  }

  /**
   * prom-client's children for one label set, built on its first response and
   * reused: a request then allocates no label object and prom-client checks
   * the label names once per series rather than per request. Bounded like the
   * series themselves: methods and routes are bounded sets (metric-labels.ts),
   * statuses are three digits.
   */
  private seriesOf(method: string, route: string, status: number): SeriesChildren {
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { method, route, status };
      series = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      this.series.set(key, series);
    }
    return series;
  }
}

interface SeriesChildren {
  readonly requests: { inc(value?: number): void };
  readonly duration: { observe(value: number): void };
}

/**
 * Counts every response. Each route gets its own onResponse hook when it is
 * added, holding its template (`/api/v1/members/:id`), so a request costs one
 * counter increment and one observation and never reads its raw path; requests
 * that matched no route are counted by one global hook as `unmatched`. Must be
 * registered before any route is added (Nest adds its routes at init).
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: HttpMetrics): void {
  fastify.addHook('onRoute', (route) => {
    const template = route.url;
    const observe: onResponseHookHandler = (request, reply, done) => {
      metrics.observe(request.method, template, reply.statusCode, reply.elapsedTime);
      done();
    };
    route.onResponse = [...asArray(route.onResponse), observe];
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.is404) metrics.observe(request.method, undefined, reply.statusCode, reply.elapsedTime);
    done();
  });
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

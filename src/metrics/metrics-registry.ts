import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRIC_PREFIX = 'orgsync_';

/**
 * How often prom-client's event-loop monitor (perf_hooks.monitorEventLoopDelay)
 * samples, in milliseconds: its default, set here so readers of
 * nodejs_eventloop_lag_* know it. Each recorded delay is the time between two
 * of its timer ticks, so an idle process reads about this much, not 0.
 */
export const EVENT_LOOP_SAMPLING_MS = 10;

/**
 * The process's own metrics (CPU, memory, event loop, GC) in one registry per
 * process: they describe the process, not an application in it, and
 * prom-client's collectors (a GC observer, an event-loop monitor) cannot be
 * stopped, so making them once keeps several apps in one process (the tests)
 * from piling them up.
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: METRIC_PREFIX, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLING_MS });
  }
  return processRegistry;
}

/**
 * This application's metrics: a registry of its own rather than prom-client's
 * global one, so two apps in one process never collide on a metric name.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly process = processMetrics();

  /** The Prometheus text exposition format's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The scrape: the process's metrics then the application's, in the text format. */
  async render(): Promise<string> {
    const [process, app] = await Promise.all([this.process.metrics(), this.registry.metrics()]);
    return `${process}${app}`;
  }
}

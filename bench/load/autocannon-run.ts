import autocannon, { type Options, type RequestSpec, type Result } from 'autocannon';
import { type ProcessUsage, ProcessSampler } from './process-sampler.js';

/** One request, repeated by every connection for the whole row. */
export interface LoadRequest {
  readonly url: string;
  /**
   * When given, each request sent (by any connection) takes the next of these
   * paths in turn instead of `url`'s, so requests in flight at once name
   * different records, as a partner's do.
   */
  readonly paths?: readonly string[];
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Unmeasured load first, so JIT, caches and pools are warm. */
  readonly warmupSeconds: number;
  /** Requests per second over all connections; unset, as fast as the server answers. */
  readonly overallRate?: number;
}

/** What one row measured: throughput and latency at the client, CPU and memory at the server. */
export interface LoadMeasurement {
  /** 200 responses per second over the measured interval. */
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Anything but a 200, connection errors and timeouts. */
  readonly errors: number;
  readonly errorDetail: ErrorDetail;
  readonly durationSeconds: number;
  readonly server: ProcessUsage;
  /**
   * autocannon's histogram of the 200s' latencies (HdrHistogram, compressed
   * base64), from which a row measured in slices takes the percentiles of all
   * its requests (pooled-slices.ts).
   */
  readonly latencyHistogram?: string;
}

export interface ErrorDetail {
  /** Responses with a status other than 200, by status. */
  readonly statuses: Record<string, number>;
  readonly connectionErrors: number;
  readonly timeouts: number;
}

/**
 * Drives `request` with autocannon over loopback while sampling the server
 * process `pid`. Latency percentiles are autocannon's (1 ms resolution, 200s only).
 */
export async function measureLoad(request: LoadRequest, pid: number, options: LoadOptions): Promise<LoadMeasurement> {
  if (options.warmupSeconds > 0) await runAutocannon(request, { ...options, durationSeconds: options.warmupSeconds });
  return measureOnce(request, pid, options);
}

/** One measured run of `options.durationSeconds`, no warm-up: the server sampled over exactly that run. */
export async function measureOnce(request: LoadRequest, pid: number, options: LoadOptions): Promise<LoadMeasurement> {
  const sampler = new ProcessSampler(pid);
  await sampler.start();
  const settings = autocannonOptions(request, options);
  const raw = await autocannon({ ...settings, skipAggregateResult: true });
  const server = await sampler.stop();
  return { ...summarize(autocannon.aggregateResult([raw], settings), server), latencyHistogram: raw.latencies };
}

/** One autocannon run, unmeasured at the server (the soak samples the server itself). */
export async function runAutocannon(request: LoadRequest, options: LoadOptions): Promise<Result> {
  return await autocannon(autocannonOptions(request, options));
}

function autocannonOptions(request: LoadRequest, options: LoadOptions): Options {
  return {
    url: request.url,
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    requests: request.paths ? [{ setupRequest: inTurn(request.paths) }] : undefined,
    connections: options.connections,
    duration: options.durationSeconds,
    overallRate: options.overallRate,
    timeout: 10,
  };
}

/** autocannon's per-request rewrite that gives each request the next of `paths`. */
export function inTurn(paths: readonly string[]): (request: RequestSpec) => RequestSpec {
  let next = 0;
  return (request) => {
    const path = paths[next]!;
    next = (next + 1) % paths.length;
    return { ...request, path };
  };
}

/** The row's figures from autocannon's result: only 200s count as served. */
export function summarize(result: Result, server: ProcessUsage): LoadMeasurement {
  const statuses: Record<string, number> = {};
  let ok = 0;
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    if (status === '200') ok += count;
    else statuses[status] = count;
  }
  const wrongStatuses = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    requestsPerSecond: result.duration > 0 ? ok / result.duration : 0,
    requests: ok,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // autocannon's `errors` already includes its timeouts; a mismatch is a body that failed an expectation.
    errors: wrongStatuses + result.errors + result.mismatches,
    errorDetail: { statuses, connectionErrors: result.errors - result.timeouts, timeouts: result.timeouts },
    durationSeconds: result.duration,
    server,
  };
}

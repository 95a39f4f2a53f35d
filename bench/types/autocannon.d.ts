/**
 * The part of autocannon 9's programmatic API the harness uses (the package
 * ships no types; see its README, "API").
 */
declare module 'autocannon' {
  export interface Histogram {
    readonly average: number;
    readonly mean: number;
    readonly stddev: number;
    readonly min: number;
    readonly max: number;
    readonly total: number;
    readonly p50: number;
    readonly p90: number;
    readonly p97_5: number;
    readonly p99: number;
    readonly p99_9: number;
  }

  export interface Result {
    readonly duration: number;
    readonly requests: Histogram & { readonly sent: number };
    readonly latency: Histogram;
    readonly throughput: Histogram;
    readonly errors: number;
    readonly timeouts: number;
    readonly mismatches: number;
    readonly non2xx: number;
    readonly statusCodeStats: Record<string, { count: number }>;
  }

  /** One request of `Options.requests`; setupRequest may rewrite it before each send (here: its path). */
  export interface RequestSpec {
    path?: string;
    setupRequest?: (request: RequestSpec) => RequestSpec;
  }

  export interface Options {
    url: string;
    requests?: RequestSpec[];
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    amount?: number;
    overallRate?: number;
    timeout?: number;
    pipelining?: number;
    workers?: number;
    /** Resolve with the run's raw result (histograms encoded) for aggregateResult, instead of the aggregated one. */
    skipAggregateResult?: boolean;
  }

  /**
   * A run's result before aggregation (`skipAggregateResult`): its histograms
   * are HdrHistograms encoded as compressed base64.
   */
  export interface RawResult {
    readonly latencies: string;
  }

  export interface Instance extends PromiseLike<Result> {
    stop(): void;
  }

  function autocannon(options: Options & { skipAggregateResult: true }): PromiseLike<RawResult>;
  function autocannon(options: Options): Instance;
  namespace autocannon {
    /** Aggregates raw results (README, "autocannon.aggregateResult"). */
    function aggregateResult(results: readonly RawResult[], options: Options): Result;
  }
  export default autocannon;
}

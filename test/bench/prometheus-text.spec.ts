import { EVENT_LOOP_LAG_P99, metricValue } from '../../bench/load/prometheus-text.js';

const SCRAPE = [
  '# HELP orgsync_nodejs_eventloop_lag_p99_seconds The 99th percentile of the recorded event loop delays.',
  '# TYPE orgsync_nodejs_eventloop_lag_p99_seconds gauge',
  'orgsync_nodejs_eventloop_lag_p99_seconds 0.012058623',
  'orgsync_nodejs_eventloop_lag_p50_seconds 0.010002431',
  'orgsync_http_requests_total{method="GET",route="/health/ready",status="200"} 3',
].join('\n');

describe('metricValue', () => {
  it('finds a metric under a prefix, skipping its HELP and TYPE lines', () => {
    expect(metricValue(SCRAPE, EVENT_LOOP_LAG_P99)).toBeCloseTo(0.012058623);
  });

  it('does not confuse a metric with another whose name it begins', () => {
    expect(metricValue(SCRAPE, 'nodejs_eventloop_lag_p50_seconds')).toBeCloseTo(0.010002431);
  });

  it('reads a labelled sample', () => {
    expect(metricValue(SCRAPE, 'http_requests_total')).toBe(3);
  });

  it('gives undefined when the scrape does not carry the metric', () => {
    expect(metricValue(SCRAPE, 'process_resident_memory_bytes')).toBeUndefined();
    expect(metricValue('', EVENT_LOOP_LAG_P99)).toBeUndefined();
  });
});

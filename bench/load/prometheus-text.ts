/**
 * The value of a metric in the Prometheus text exposition format, matched by
 * name with or without a prefix (orgsync's are `orgsync_...`) and whatever
 * its labels; undefined when the scrape does not carry it.
 */
export function metricValue(exposition: string, name: string): number | undefined {
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || !(match[1] === name || match[1]!.endsWith(`_${name}`))) continue;
    const value = Number(match[2]);
    if (!Number.isNaN(value)) return value;
  }
  return undefined;
}

/** prom-client's default event-loop metric: the p99 of event-loop delay since the previous scrape. */
export const EVENT_LOOP_LAG_P99 = 'nodejs_eventloop_lag_p99_seconds';

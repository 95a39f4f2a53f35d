import { join } from 'node:path';
import { runAutocannon, summarize } from '../load/autocannon-run.js';
import { EVENT_LOOP_SAMPLING_MS } from '../../src/metrics/metrics-registry.js';
import { PeriodicTask } from '../load/periodic.js';
import { ProcessSampler, rssBytes } from '../load/process-sampler.js';
import { EVENT_LOOP_LAG_P99, metricValue } from '../load/prometheus-text.js';
import type { LoadRow, SoakResult } from '../results.js';
import { accessToken } from '../seed.js';
import { type OrgsyncSession, readRequest, tokenRequest } from './orgsync-rows.js';
import { startSoakUpstream } from '../servers/soak-upstream.js';
import { lagFigures, rssGrowth, soakRates, type SoakSample } from './soak-figures.js';
import { createSyncConnection, listSyncRuns, type UpstreamEndpoint } from './sync-driver.js';

export interface SoakOptions {
  readonly seconds: number;
  readonly connections: number;
  /** Users in the soak's upstream directory; 1 % of them change every minute. */
  readonly syncUsers: number;
  /** Where the upstream's log goes. */
  readonly dir: string;
}

/**
 * Token issuance and API reads together at half the capacity the token and
 * read rows measured just before (autocannon's overallRate), for `seconds`,
 * while a sync connection with a 60 s interval runs every minute against a
 * loopback SCIM upstream (its own process) whose users change. Samples RSS
 * from /proc and event-loop lag from /metrics (prom-client) every few seconds.
 */
export async function runSoak(session: OrgsyncSession, rows: readonly LoadRow[], options: SoakOptions): Promise<SoakResult> {
  const capacity = (scenario: LoadRow['scenario']): number => {
    const row = rows.find((candidate) => candidate.scenario === scenario && candidate.database === session.database);
    if (!row) throw new Error(`The soak needs the ${scenario} row measured first.`);
    return row.measurement.requestsPerSecond;
  };
  const { tokenRate, readRate } = soakRates(capacity('token'), capacity('read'));
  const upstream = await startSoakUpstream(options.syncUsers, join(options.dir, 'soak-upstream.log'));
  try {
    return await soakAgainst(session, upstream, { ...options, tokenRate, readRate });
  } finally {
    await upstream.stop();
  }
}

async function soakAgainst(
  session: OrgsyncSession,
  upstream: UpstreamEndpoint,
  options: SoakOptions & { readonly tokenRate: number; readonly readRate: number },
): Promise<SoakResult> {
  const { orgsync } = session;
  const { tokenRate, readRate } = options;
  const pid = orgsync.pid!;
  const adminClient = { clientId: orgsync.adminClientId, clientSecret: orgsync.adminClientSecret };
  const admin = await accessToken(orgsync.url, adminClient);
  const startedAt = Date.now();
  const connectionId = await createSyncConnection(orgsync.url, admin, upstream, 60);
  const samples: SoakSample[] = [];
  let scrapeErrors = 0;
  // `scrapeLag` false: RSS only. prom-client's lag p99 covers the time since the previous scrape, so a
  // reading taken once the load has stopped covers only the teardown (100 connections closing at once),
  // a fraction of a second whose p99 is its single slowest turn: not the soak's lag.
  const sample = async (scrapeLag = true): Promise<void> => {
    const rss = await rssBytes(pid);
    if (!scrapeLag) {
      samples.push({ t: (Date.now() - startedAt) / 1000, rssBytes: rss ?? 0, lagP99Ms: null });
      return;
    }
    const lag = await fetch(`${orgsync.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
      .then(async (response) => (response.status === 200 ? metricValue(await response.text(), EVENT_LOOP_LAG_P99) : undefined))
      .catch(() => undefined);
    if (lag === undefined) scrapeErrors++;
    samples.push({ t: (Date.now() - startedAt) / 1000, rssBytes: rss ?? 0, lagP99Ms: lag === undefined ? null : lag * 1000 });
  };
  const sampleEveryMs = Math.min(5_000, Math.max(500, (options.seconds * 1000) / 60));
  const sampler = new ProcessSampler(pid);
  const sampling = new PeriodicTask(() => sample(), sampleEveryMs);
  try {
    await sampler.start();
    sampling.start();
    const load = { connections: options.connections, durationSeconds: options.seconds, warmupSeconds: 0 };
    const [tokens, reads] = await Promise.all([
      runAutocannon(tokenRequest(session), { ...load, overallRate: tokenRate }),
      readRequest(session).then((request) => runAutocannon(request, { ...load, overallRate: readRate })),
    ]);
    // Waits for a reading still in flight, so the RSS-only one below is the last.
    await sampling.stop();
    await sample(false);
    const usage = await sampler.stop();
    // A new token: the first has outlived its ten minutes by the end of a full soak.
    const runs = (await listSyncRuns(orgsync.url, await accessToken(orgsync.url, adminClient), connectionId)).filter(
      (run) => run.started_at !== null,
    );
    const syncRuns = {
      succeeded: runs.filter((run) => run.status === 'succeeded').length,
      failed: runs.filter((run) => run.status === 'failed').length,
    };
    const tokenFigures = summarize(tokens, usage);
    const readFigures = summarize(reads, usage);
    const growth = rssGrowth(samples, options.seconds);
    const lag = lagFigures(samples, options.seconds, EVENT_LOOP_SAMPLING_MS);
    return {
      seconds: options.seconds,
      tokenRate,
      readRate,
      tokens: tokenFigures,
      reads: readFigures,
      syncRuns,
      errors: tokenFigures.errors + readFigures.errors + syncRuns.failed + scrapeErrors,
      rssFirstLowBytes: growth.firstLowBytes,
      rssLastLowBytes: growth.lastLowBytes,
      rssGrowthPercent: growth.percent,
      eventLoopLagP99Ms: lag.worstMs,
      eventLoopLagP99MedianMs: lag.medianMs,
      eventLoopLagP99ScrapedMs: lag.worstScrapedMs,
      samples,
    };
  } finally {
    await sampling.stop();
  }
}

import type { BenchOptions } from './options.js';
import { ORGSYNC_BENCH_SETTINGS, PRODUCTION_NODE_OPTIONS } from './servers/orgsync-server.js';

/** How the servers and the load were set up, in words, at the head of the report. */
export function describeSettings(options: BenchOptions): string[] {
  const limit = Number(ORGSYNC_BENCH_SETTINGS.RATE_LIMIT_PER_ADDRESS).toLocaleString('en-US');
  const paired = options.scenarios.has('reference') && options.scenarios.has('token');
  return [
    `Load: autocannon in the harness process, ${options.connections} connections over loopback, ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s measured per row${paired ? ' (the token and oidc-provider rows in slices, below)' : ''}; only 200 responses count as served, anything else (another status, a connection error, a timeout) is an error.`,
    `orgsync: its own process, started as npm run start:prod starts it (node ${PRODUCTION_NODE_OPTIONS.join(' ')}), NODE_ENV=${ORGSYNC_BENCH_SETTINGS.NODE_ENV}, request logging on (LOG_LEVEL=${ORGSYNC_BENCH_SETTINGS.LOG_LEVEL}, ${ORGSYNC_BENCH_SETTINGS.LOG_FORMAT}, written to a file), METRICS_ACCESS=${ORGSYNC_BENCH_SETTINGS.METRICS_ACCESS}, sync scheduler on; rate limits on, at ${limit} requests per address and per client per window so they never trigger but their cost is measured; default rate-limit store (memory on SQLite, the database on PostgreSQL).`,
    ...changedSettings(options),
    `Rows: the token row is POST /oauth/token with client_secret_basic and grant_type=client_credentials; the read row is GET /api/v1/members/:id with one bearer token obtained up front, each request the next of the small organization's members in turn, so the reads in flight at once are of different members; the list rows are the first page (limit=100) of an organization of ${options.sizes.smallMembers.toLocaleString('en-US')} members (created through the API) and of ${options.sizes.bigMembers.toLocaleString('en-US')} (bulk-inserted; on PostgreSQL then ANALYZEd, as autovacuum would within a minute). Each row is checked with one request before the load.`,
    'Reference servers in the same run, each its own process in production mode: a bare node:http server answering a fixed body; node-oidc-provider 9 issuing ES256 JWT access tokens by client credentials (client_secret_basic, resource indicators); and the NestJS floor, a minimal NestJS app on Fastify doing only the core work of the token and read rows (Basic client authentication, an HMAC-SHA-256 secret check, an ES256 JWT signed synchronously; a bearer guard and a member from memory) with no database, logging, metrics or rate limits.',
    ...(paired ? [pairedMethod(options)] : []),
    'Server CPU: utime + stime from /proc/<pid>/stat over the row, in % of one core. CPU/req: that CPU time per 200 response, steadier than req/s on a busy machine. Peak RSS: VmHWM reset per row through /proc/<pid>/clear_refs, and VmRSS sampled every 50 ms. Linux only.',
    ...(options.soak
      ? [
          `Soak: ${options.soakSeconds} s of token requests and reads together at half the capacity just measured (each at a quarter of its own row's req/s, autocannon overallRate), a sync every minute (connection interval 60 s, ${options.sizes.soakSyncUsers.toLocaleString('en-US')} upstream users, 1 % changing every minute); RSS from /proc and nodejs_eventloop_lag_p99_seconds from /metrics sampled every few seconds; growth is the lower decile of RSS in the last third against that of the first third after the first minute, scaled by 3/2 to the whole span (GC cycles move RSS by up to about 120 MB; a leak raises the low readings).`,
        ]
      : []),
  ];
}

/** BENCH_ORGSYNC_ENV's settings, stated right under production's so no reader takes such a run for production's. */
function changedSettings(options: BenchOptions): string[] {
  const changed = Object.entries(options.orgsyncEnv).map(([name, value]) => `${name}=${value}`);
  if (changed.length === 0) return [];
  return [
    `Changed for this run (BENCH_ORGSYNC_ENV), over the settings above: ${changed.join(', ')}. These figures measure that configuration, not production's defaults.`,
  ];
}

/** How the token rows and oidc-provider's were measured together (paired-run.ts, pooled-slices.ts). */
function pairedMethod(options: BenchOptions): string {
  const { rounds, warmupSeconds, durationSeconds } = options;
  const slice = Number((durationSeconds / rounds).toFixed(2));
  return `Token rows against oidc-provider, in alternating slices: on each database node-oidc-provider runs alongside orgsync, each is warmed up once (${warmupSeconds} s, unmeasured), then ${rounds} rounds each measure both for ${slice} s (${durationSeconds} s / ${rounds} rounds), the order alternating (orgsync first, then oidc-provider first, and so on) so that whatever the machine does meanwhile falls on both alike. A slice ends on autocannon's 1-second sample tick, so it lasts at least 1 s, rounded up to whole seconds. Each row pools its slices: requests, errors and server CPU seconds summed, req/s and CPU % over the summed measured time, peak RSS the largest, p50 and p99 those of all its requests, from autocannon's latency histograms of its slices added together (autocannon.aggregateResult's way). The SQLite token target is judged against the oidc-provider row measured with it, the PostgreSQL one against reference/oidc-provider/PostgreSQL; every row's "÷ oidc-provider" column divides by the SQLite one.`;
}

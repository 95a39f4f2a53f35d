import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrgsyncProcess } from '../../examples/demo/orgsync-process.js';
import { ProcessSampler } from '../load/process-sampler.js';
import type { SyncResult, SyncRunFigures } from '../results.js';
import { accessToken } from '../seed.js';
import type { BenchDatabase } from '../servers/bench-database.js';
import { startBenchOrgsync } from '../servers/orgsync-server.js';
import { type SoakUpstream, startSoakUpstream } from '../servers/soak-upstream.js';
import { createSyncConnection, firstSyncRun, runSeconds, runSyncOnce, type SyncRunState } from './sync-driver.js';

export interface SyncBenchmarkOptions {
  /** A database of its own: the sync writes into a fresh one. */
  readonly database: BenchDatabase;
  /** The run's directory; orgsync's log goes here. */
  readonly dir: string;
  readonly users: number;
  readonly groups: number;
  /** Caps orgsync's V8 heap: a sync that held the directory in memory would die under it. */
  readonly heapMb?: number;
}

/**
 * A loopback SCIM upstream with `users` users and `groups` groups of 50
 * members, in a process of its own (so serving pages does not compete with
 * the harness's event loop), and orgsync (its own process, production
 * settings) on `database`: one full run, then an incremental one after 1 % of
 * the users changed. Peak RSS is the server's, per run, from /proc.
 */
export async function runSyncBenchmark(options: SyncBenchmarkOptions): Promise<SyncResult> {
  const dir = join(options.dir, `sync-${options.database.kind}`);
  await mkdir(dir, { recursive: true });
  // The newest record sets the incremental run's watermark: an hour ago, well before the 1 % change.
  const upstream = await startSoakUpstream(options.users, join(dir, 'upstream.log'), {
    groups: options.groups,
    changeEveryMs: 0,
    watermarkAnchor: true,
  });
  try {
    const heap: Record<string, string> = options.heapMb ? { NODE_OPTIONS: `--max-old-space-size=${options.heapMb}` } : {};
    const orgsync = await startBenchOrgsync({
      database: options.database,
      dir,
      logName: 'orgsync.log',
      env: { SYNC_POLL_INTERVAL_MS: '200', SYNC_HTTP_TIMEOUT_MS: '60000', ...heap },
    });
    try {
      return await fullThenIncremental(orgsync, upstream, options);
    } finally {
      await orgsync.stop();
    }
  } finally {
    await upstream.stop();
  }
}

async function fullThenIncremental(orgsync: OrgsyncProcess, upstream: SoakUpstream, options: SyncBenchmarkOptions): Promise<SyncResult> {
  const admin = await accessToken(orgsync.url, { clientId: orgsync.adminClientId, clientSecret: orgsync.adminClientSecret });
  const measured = async (run: () => Promise<SyncRunState>): Promise<SyncRunFigures> => {
    const sampler = new ProcessSampler(orgsync.pid!);
    await sampler.start();
    const state = await run();
    const usage = await sampler.stop();
    const seconds = runSeconds(state);
    const users = state.stats.members.fetched ?? 0;
    const records = users + (state.stats.groups.fetched ?? 0);
    // CPU per record compares runs on a shared, noisy machine better than records per second does.
    process.stderr.write(
      `[bench] sync on ${options.database.label}, ${state.mode ?? 'unknown'} run: ${seconds.toFixed(2)} s, orgsync CPU ` +
        `${usage.cpuSeconds.toFixed(2)} s (${records > 0 ? Math.round((usage.cpuSeconds * 1e6) / records) : 0} µs per record)\n`,
    );
    return {
      mode: state.mode ?? 'unknown',
      status: state.error ? `${state.status}: ${state.error}` : state.status,
      seconds,
      records,
      users,
      recordsPerSecond: seconds > 0 ? records / seconds : 0,
      usersPerSecond: seconds > 0 ? users / seconds : 0,
      pages: state.pages,
      peakRssBytes: usage.peakRssBytes,
    };
  };
  let connectionId = '';
  const full = await measured(async () => {
    // A day's interval: the scheduler runs the new connection at once (the full run), then only when asked.
    connectionId = await createSyncConnection(orgsync.url, admin, upstream, 86_400);
    return firstSyncRun(orgsync.url, admin, connectionId);
  });
  await upstream.changeFirstPercent();
  const incremental = await measured(() => runSyncOnce(orgsync.url, admin, connectionId));
  return {
    database: options.database.label,
    users: options.users,
    groups: options.groups,
    full,
    incremental,
    peakRssBytes: Math.max(full.peakRssBytes, incremental.peakRssBytes),
    incrementalSpeedup: incremental.seconds > 0 ? full.seconds / incremental.seconds : 0,
  };
}

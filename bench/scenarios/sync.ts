import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrgsyncProcess } from '../../examples/demo/orgsync-process.js';
import { type ScimUpstream, startScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { ProcessSampler } from '../load/process-sampler.js';
import type { SyncResult, SyncRunFigures } from '../results.js';
import { accessToken } from '../seed.js';
import type { BenchDatabase } from '../servers/bench-database.js';
import { startBenchOrgsync } from '../servers/orgsync-server.js';
import { createSyncConnection, firstSyncRun, runSeconds, runSyncOnce, type SyncRunState } from './sync-driver.js';

const MEMBERS_PER_GROUP = 50;

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
 * members, and orgsync (its own process, production settings) on `database`:
 * one full run, then an incremental one after 1 % of the users changed.
 * Peak RSS is the server's, per run, from /proc.
 */
export async function runSyncBenchmark(options: SyncBenchmarkOptions): Promise<SyncResult> {
  const dir = join(options.dir, `sync-${options.database.kind}`);
  await mkdir(dir, { recursive: true });
  const upstream = await startScimUpstream({ maxResults: 1000 });
  try {
    upstream.directory.seed(
      { users: options.users - 1, groups: options.groups, membersPerGroup: Math.min(MEMBERS_PER_GROUP, options.users - 1) },
      { at: new Date(Date.now() - 7_200_000) },
    );
    // The newest record sets the incremental run's watermark: an hour ago, well before the 1 % change.
    upstream.directory.addUser({ userName: 'watermark-anchor' }, { at: new Date(Date.now() - 3_600_000) });
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
    await upstream.close();
  }
}

async function fullThenIncremental(orgsync: OrgsyncProcess, upstream: ScimUpstream, options: SyncBenchmarkOptions): Promise<SyncResult> {
  const admin = await accessToken(orgsync.url, { clientId: orgsync.adminClientId, clientSecret: orgsync.adminClientSecret });
  const measured = async (run: () => Promise<SyncRunState>): Promise<SyncRunFigures> => {
    const sampler = new ProcessSampler(orgsync.pid!);
    await sampler.start();
    const state = await run();
    const usage = await sampler.stop();
    const seconds = runSeconds(state);
    const users = state.stats.members.fetched ?? 0;
    const records = users + (state.stats.groups.fetched ?? 0);
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
  for (const user of upstream.directory.listUsers().slice(0, Math.round(options.users / 100))) {
    upstream.directory.updateUser(user.id, { title: 'Changed' });
  }
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

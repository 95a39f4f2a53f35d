/**
 * The sync benchmark alone: a loopback SCIM upstream with 100,000 users and
 * 1,000 groups, one full run and one incremental run with 1 % of users
 * changed, against orgsync running as its own process (so its memory is its
 * own) on SQLite, and on PostgreSQL too when BENCH_DATABASE_URL (or
 * DATABASE_URL) is a postgres:// URL. Prints records per second, duration and
 * the server's peak RSS, and writes bench/results/sync.json and sync.md.
 * `npm run bench:sync` (the same rows as `npm run bench -- --only sync`).
 *
 * BENCH_SYNC_USERS and BENCH_SYNC_GROUPS change the size; BENCH_SYNC_HEAP_MB
 * caps the server's V8 heap.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCount, formatMb, formatRatio, formatSeconds } from './format.js';
import { describeMachine } from './machine.js';
import { postgresUrl } from './options.js';
import type { SyncResult } from './results.js';
import { runSyncBenchmark } from './scenarios/sync.js';
import { freshPostgresDatabase, sqliteDatabase } from './servers/bench-database.js';

const USERS = Number(process.env.BENCH_SYNC_USERS ?? 100_000);
const GROUPS = Number(process.env.BENCH_SYNC_GROUPS ?? 1_000);
const HEAP_MB = process.env.BENCH_SYNC_HEAP_MB ? Number(process.env.BENCH_SYNC_HEAP_MB) : undefined;
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR || fileURLToPath(new URL('../../bench/results/', import.meta.url));

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-bench-sync-'));
  const results: SyncResult[] = [];
  try {
    const databases = [sqliteDatabase(dir, 'sync')];
    const postgres = postgresUrl(process.env);
    if (postgres) databases.push(await freshPostgresDatabase(postgres));
    for (const database of databases) {
      try {
        results.push(await runSyncBenchmark({ database, dir, users: USERS, groups: GROUPS, heapMb: HEAP_MB }));
      } finally {
        await database.drop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await report(results);
}

async function report(results: SyncResult[]): Promise<void> {
  const machine = describeMachine();
  const lines = [
    `Sync benchmark: ${formatCount(USERS)} users and ${formatCount(GROUPS)} groups from a loopback SCIM upstream (${machine.cpus}, ${machine.platform}, Node ${machine.node}${HEAP_MB ? `, V8 heap capped at ${HEAP_MB} MB` : ''}).`,
    '',
    '| database | run | status | records fetched | pages | duration | records/s | users/s | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const result of results) {
    for (const [name, run] of [
      [`full (${result.full.mode})`, result.full],
      [`1 % changed (${result.incremental.mode}), ${formatRatio(result.incrementalSpeedup)} faster`, result.incremental],
    ] as const) {
      lines.push(
        `| ${result.database} | ${name} | ${run.status} | ${formatCount(run.records)} | ${run.pages} | ${formatSeconds(run.seconds)} | ${formatCount(run.recordsPerSecond)} | ${formatCount(run.usersPerSecond)} | ${formatMb(run.peakRssBytes)} |`,
      );
    }
  }
  const markdown = lines.join('\n');
  process.stdout.write(`\n${markdown}\n`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(join(RESULTS_DIR, 'sync.json'), `${JSON.stringify({ machine, users: USERS, groups: GROUPS, results }, null, 2)}\n`);
  await writeFile(join(RESULTS_DIR, 'sync.md'), `${markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

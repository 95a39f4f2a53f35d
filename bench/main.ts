/**
 * `npm run bench`: builds nothing itself (the npm script runs `nest build`
 * first), starts every server as its own process, drives load over loopback
 * and prints one table; writes bench/results/bench.json and bench.md.
 * Linux only: server CPU and memory are read from /proc.
 *
 *   npm run bench -- [--only reference,token,read,list,startup,sync] [--soak] [--duration <s>] [--warmup <s>] [--rounds <n>]
 *
 * With both reference and token, node-oidc-provider runs alongside orgsync on
 * each database and the two token rows are measured in --rounds alternating
 * slices (default 5) of duration / rounds each.
 *
 * BENCH_DATABASE_URL (or DATABASE_URL) = postgres://... adds PostgreSQL rows,
 * on fresh databases created and dropped here. BENCH_RESULTS_DIR moves the
 * output; BENCH_SMALL_MEMBERS, BENCH_BIG_MEMBERS, BENCH_SYNC_USERS,
 * BENCH_SYNC_GROUPS, BENCH_SOAK_SECONDS, BENCH_SOAK_SYNC_USERS and
 * BENCH_IDLE_SECONDS shrink a run for checking. BENCH_ORGSYNC_NODE_ARGS go
 * to every orgsync started (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"), and
 * BENCH_ORGSYNC_ENV's settings (e.g. "LOG_LEVEL=warn"), which the report lists;
 * BENCH_KEEP=1 keeps the temporary directory with the servers' logs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchRun } from './bench-run.js';
import { describeMachine } from './machine.js';
import { OptionsError, parseOptions } from './options.js';
import { rowRatios } from './ratios.js';
import { renderMarkdown, writeResults } from './report.js';
import type { BenchResults } from './results.js';
import { describeSettings } from './settings.js';
import { evaluateTargets } from './targets.js';

const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

async function main(): Promise<boolean> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-bench-'));
  const run = new BenchRun(options, dir, (line) => void process.stderr.write(`[bench] ${line}\n`));
  await run.runAll();
  const { load, startup, sync, soak, failures } = run;
  const results: BenchResults = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    settings: describeSettings(options),
    load,
    ratios: rowRatios(load),
    startup,
    sync,
    soak,
    targets: evaluateTargets({ load, startup, sync, soak }),
    failures,
  };
  const written = await writeResults(results, process.env.BENCH_RESULTS_DIR || DEFAULT_RESULTS_DIR);
  process.stdout.write(`\n${renderMarkdown(results)}\nWritten: ${written.json}, ${written.markdown}\n`);
  if (failures.length > 0 || process.env.BENCH_KEEP === '1') {
    process.stderr.write(`[bench] ${failures.length} scenario(s) failed; the servers' logs are in ${dir}\n`);
  } else {
    await rm(dir, { recursive: true, force: true });
  }
  return failures.length === 0;
}

main().then(
  // Every server was stopped; nothing left (an idle keep-alive socket) may hold the run open.
  (succeeded) => process.exit(succeeded ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof OptionsError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCount, formatMb, formatMs, formatPercent, formatRatio, formatSeconds } from './format.js';
import type { LoadMeasurement } from './load/autocannon-run.js';
import { COMPARED_FIGURES, type ComparedFigure, rowRatios } from './ratios.js';
import type { BenchResults, LoadRow } from './results.js';

/** A Markdown table: reads the same printed on a terminal and rendered in docs. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/** Server CPU time per 200 response, in microseconds: steadier than throughput on a busy machine. */
export function cpuMicrosPerRequest(m: LoadMeasurement): number | null {
  if (m.requests === 0) return null;
  return (m.server.cpuSeconds * 1e6) / m.requests;
}

function rowName(row: LoadRow): string {
  return row.server === 'orgsync' ? row.title : `${row.server}: ${row.title}`;
}

/** The main table: one line per row, with throughput as a ratio to both references. */
export function loadTable(load: readonly LoadRow[]): string[] {
  const ratios = rowRatios(load);
  return markdownTable(
    ['row', 'database', 'req/s', 'p50', 'p99', 'errors', 'server CPU', 'CPU/req', 'peak RSS', 'req/s ÷ node:http', 'req/s ÷ oidc-provider'],
    load.map((row) => {
      const m = row.measurement;
      const cpu = cpuMicrosPerRequest(m);
      return [
        rowName(row),
        row.database ?? '–',
        formatCount(m.requestsPerSecond),
        formatMs(m.p50Ms),
        formatMs(m.p99Ms),
        formatCount(m.errors),
        formatPercent(m.server.cpuPercent),
        cpu === null ? '–' : `${formatCount(cpu)} µs`,
        formatMb(m.server.peakRssBytes),
        formatRatio(ratios[row.id]!.vsNodeHttp.requestsPerSecond),
        formatRatio(ratios[row.id]!.vsOidcProvider.requestsPerSecond),
      ];
    }),
  );
}

/** Every figure of every row divided by the same figure of each reference. */
export function ratioTable(load: readonly LoadRow[]): string[] {
  const ratios = rowRatios(load);
  const names: Record<ComparedFigure, string> = {
    requestsPerSecond: 'req/s',
    p50Ms: 'p50',
    p99Ms: 'p99',
    cpuPercent: 'CPU',
    peakRssBytes: 'peak RSS',
  };
  const figures = Object.keys(COMPARED_FIGURES) as ComparedFigure[];
  return markdownTable(
    ['row', 'database', ...figures.flatMap((figure) => [`${names[figure]} ÷ node:http`, `${names[figure]} ÷ oidc-provider`])],
    load.map((row) => [
      rowName(row),
      row.database ?? '–',
      ...figures.flatMap((figure) => [
        formatRatio(ratios[row.id]!.vsNodeHttp[figure]),
        formatRatio(ratios[row.id]!.vsOidcProvider[figure]),
      ]),
    ]),
  );
}

export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const lines = [
    `# orgsync benchmark, ${results.startedAt}`,
    '',
    `Machine: ${machine.cpus}, ${formatMb(machine.memoryBytes)} memory, ${machine.platform}, Node ${machine.node}; load average at start ${machine.loadAverage.join(' ')}.`,
    '',
    ...results.settings.map((line) => `- ${line}`),
    '',
  ];
  if (results.load.length > 0) {
    lines.push(
      '## Load (autocannon, loopback)',
      '',
      ...loadTable(results.load),
      '',
      '### Ratios to the reference servers',
      '',
      ...ratioTable(results.load),
      '',
    );
  }
  if (results.startup) {
    const s = results.startup;
    lines.push(
      '## Start-up',
      '',
      ...markdownTable(
        ['database', 'ready, fresh database', 'ready, existing database', `RSS at idle (${s.idleSeconds} s after ready)`],
        [[s.database, formatMs(s.freshReadyMs), formatMs(s.existingReadyMs), formatMb(s.idleRssBytes)]],
      ),
      '',
    );
  }
  if (results.sync.length > 0) {
    lines.push(
      '## Sync (loopback SCIM upstream)',
      '',
      ...markdownTable(
        ['database', 'directory', 'run', 'status', 'records', 'pages', 'duration', 'records/s', 'users/s', 'peak RSS'],
        results.sync.flatMap((sync) =>
          [sync.full, sync.incremental].map((run, i) => [
            sync.database,
            `${formatCount(sync.users)} users, ${formatCount(sync.groups)} groups`,
            i === 0 ? `full (${run.mode})` : `1 % changed (${run.mode}), ${formatRatio(sync.incrementalSpeedup)} faster`,
            run.status,
            formatCount(run.records),
            formatCount(run.pages),
            formatSeconds(run.seconds),
            formatCount(run.recordsPerSecond),
            formatCount(run.usersPerSecond),
            formatMb(run.peakRssBytes),
          ]),
        ),
      ),
      '',
    );
  }
  if (results.soak) {
    const s = results.soak;
    lines.push(
      '## Soak',
      '',
      ...markdownTable(
        [
          'duration',
          'token req/s asked',
          'read req/s asked',
          'token p99',
          'read p99',
          'sync runs',
          'errors',
          'low RSS, first third',
          'low RSS, last third',
          'growth',
          'event-loop lag p99 beyond the 10 ms tick, worst 5 s',
        ],
        [
          [
            formatSeconds(s.seconds),
            formatCount(s.tokenRate),
            formatCount(s.readRate),
            formatMs(s.tokens.p99Ms),
            formatMs(s.reads.p99Ms),
            `${s.syncRuns.succeeded} succeeded, ${s.syncRuns.failed} failed`,
            formatCount(s.errors),
            formatMb(s.rssFirstLowBytes),
            formatMb(s.rssLastLowBytes),
            `${s.rssGrowthPercent.toFixed(1)} %`,
            `${formatMs(s.eventLoopLagP99Ms)} (median ${formatMs(s.eventLoopLagP99MedianMs)}; ${formatMs(s.eventLoopLagP99ScrapedMs)} as scraped)`,
          ],
        ],
      ),
      '',
    );
  }
  if (results.failures.length > 0) {
    lines.push('## Failures', '', ...results.failures.map((failure) => `- ${failure.scenario}: ${failure.error.split('\n')[0]}`), '');
  }
  lines.push(
    '## Targets',
    '',
    ...markdownTable(
      ['target', 'status', 'figure'],
      results.targets.map((t) => [t.target, t.status, t.figure]),
    ),
    '',
  );
  return lines.join('\n');
}

/** bench/results/bench.json and bench.md (the directory is git-ignored). */
export async function writeResults(results: BenchResults, dir: string): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'bench.json');
  const markdown = join(dir, 'bench.md');
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(results));
  return { json, markdown };
}

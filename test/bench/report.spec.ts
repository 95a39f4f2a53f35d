import { formatMb, formatMs, formatRatio, ratio } from '../../bench/format.js';
import { rowRatios } from '../../bench/ratios.js';
import { cpuMicrosPerRequest, loadTable, markdownTable, ratioTable, renderMarkdown } from '../../bench/report.js';
import type { BenchResults } from '../../bench/results.js';
import { nestFloorLoadRow } from '../../bench/scenarios/nest-floor-rows.js';
import { oidcProviderLoadRow } from '../../bench/scenarios/reference-rows.js';
import { evaluateTargets } from '../../bench/targets.js';
import { MB, measurement, row, soak, startup, syncResult } from './bench-factories.js';

const LOAD = [
  row('reference/node:http', { requestsPerSecond: 20_000, p50Ms: 2, p99Ms: 4 }),
  row('reference/oidc-provider', { requestsPerSecond: 1_000, p50Ms: 40, p99Ms: 80 }),
  row('token/SQLite', { requestsPerSecond: 2_500, p50Ms: 0, p99Ms: 12 }),
];

/** A run that measured nothing. */
const NO_RESULTS: BenchResults = {
  startedAt: 'now',
  finishedAt: 'now',
  machine: { cpus: 'x', cores: 1, memoryBytes: MB, node: 'v20', platform: 'linux', loadAverage: [0, 0, 0] },
  settings: [],
  load: [],
  ratios: {},
  startup: null,
  sync: [],
  soak: null,
  targets: [],
  failures: [],
};

describe('figures and ratios', () => {
  it('divides by a reference, and has no ratio without one or against zero', () => {
    expect(ratio(2_500, 1_000)).toBe(2.5);
    expect(ratio(1, undefined)).toBeNull();
    expect(ratio(1, 0)).toBeNull();
  });

  it('writes ratios with two decimals below 10 and one above, and a dash for none', () => {
    expect(formatRatio(2.5)).toBe('2.50x');
    expect(formatRatio(18.43)).toBe('18.4x');
    expect(formatRatio(null)).toBe('–');
  });

  it('writes milliseconds and megabytes in fixed units', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(2.5)).toBe('2.5 ms');
    expect(formatMs(1_055)).toBe('1,055 ms');
    expect(formatMb(150 * MB)).toBe('150 MB');
  });

  it('gives server CPU time per request in microseconds', () => {
    // 100 % of a core for 10 s over 10,000 requests: 1 ms each.
    expect(cpuMicrosPerRequest(measurement())).toBe(1_000);
    expect(cpuMicrosPerRequest(measurement({ requests: 0 }))).toBeNull();
  });
});

describe('rowRatios', () => {
  it('divides every figure of every row by both references', () => {
    expect(rowRatios(LOAD)['token/SQLite']).toEqual({
      vsNodeHttp: { requestsPerSecond: 0.125, p50Ms: 0, p99Ms: 3, cpuPercent: 1, peakRssBytes: 1 },
      vsOidcProvider: { requestsPerSecond: 2.5, p50Ms: 0, p99Ms: 0.15, cpuPercent: 1, peakRssBytes: 1 },
    });
  });

  it('has no ratios to a reference that was not run', () => {
    expect(rowRatios([LOAD[2]!])['token/SQLite']!.vsOidcProvider).toEqual({
      requestsPerSecond: null,
      p50Ms: null,
      p99Ms: null,
      cpuPercent: null,
      peakRssBytes: null,
    });
  });
});

describe('tables', () => {
  it('builds a Markdown table', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).toEqual(['| a | b |', '| --- | --- |', '| 1 | 2 |']);
  });

  it('shows each row with its throughput against both references', () => {
    const token = loadTable(LOAD).find((line) => line.includes('token row'))!;
    expect(token).toBe('| token row | SQLite | 2,500 | 0 ms | 12 ms | 0 | 100 % | 1,000 µs | 100 MB | 0.13x | 2.50x |');
  });

  it('divides every figure by the same figure of each reference, with no ratio against a zero', () => {
    const token = ratioTable(LOAD).find((line) => line.includes('token row'))!;
    // req/s, p50 (the reference's own p50s are 2 and 40; ours is 0), p99, CPU, peak RSS.
    expect(token).toBe('| token row | SQLite | 0.13x | 2.50x | 0.00x | 0.00x | 3.00x | 0.15x | 1.00x | 1.00x | 1.00x | 1.00x |');
  });

  it('shows the oidc-provider row measured alongside PostgreSQL, while every "÷ oidc-provider" column divides by the SQLite one', () => {
    const load = [
      ...LOAD,
      oidcProviderLoadRow(measurement({ requestsPerSecond: 800 }), { database: 'PostgreSQL', slices: [] }),
      row('token/PostgreSQL', { requestsPerSecond: 1_600 }),
    ];
    const table = loadTable(load);
    expect(table.find((line) => line.includes('alongside the PostgreSQL token row'))).toMatch(
      /^\| oidc-provider: POST \/token \(client_secret_basic, ES256 JWT\), alongside the PostgreSQL token row \| – \| 800 \|.* \| 0\.80x \|$/,
    );
    expect(table.find((line) => line.includes('| PostgreSQL |'))).toMatch(/ \| 1\.60x \|$/);
  });

  it('shows the NestJS floor rows by server and title, against both references', () => {
    const load = [
      ...LOAD,
      nestFloorLoadRow('token', measurement({ requestsPerSecond: 3_400, p50Ms: 6, p99Ms: 12 })),
      nestFloorLoadRow('read', measurement({ requestsPerSecond: 18_000, p50Ms: 2, p99Ms: 4 })),
    ];
    expect(loadTable(load).slice(-2)).toEqual([
      '| nest-floor: NestJS on Fastify, minimal: POST /oauth/token (client_secret_basic, ES256 JWT) | – | 3,400 | 6 ms | 12 ms | 0 | 100 % | 1,000 µs | 100 MB | 0.17x | 3.40x |',
      '| nest-floor: NestJS on Fastify, minimal: GET /api/v1/members/:id (bearer) | – | 18,000 | 2 ms | 4 ms | 0 | 100 % | 1,000 µs | 100 MB | 0.90x | 18.0x |',
    ]);
  });

  it("puts the NestJS floor's figures beside the token and read targets' own", () => {
    const load = [
      ...LOAD,
      row('read/SQLite', { requestsPerSecond: 5_000, p99Ms: 20 }),
      row('reference/nest-floor/token', { requestsPerSecond: 3_400, p99Ms: 12 }),
      row('reference/nest-floor/read', { requestsPerSecond: 18_000, p99Ms: 4 }),
    ];
    const markdown = renderMarkdown({ ...NO_RESULTS, load, targets: evaluateTargets({ load, startup: null, sync: [], soak: null }) });
    expect(markdown).toContain(
      "| Token endpoint >= 2x oidc-provider (SQLite) | met | 2,500 req/s = 2.50x oidc-provider's 1,000 (NestJS floor: 3.40x) |",
    );
    expect(markdown).toContain(
      '| Token endpoint p99 < 10 ms at 50 connections, 0 errors (SQLite) | not met | p99 12 ms, 0 errors (NestJS floor in this run: p99 12 ms, 3,400 req/s) |',
    );
    expect(markdown).toContain(
      '| Protected read >= 10,000 req/s, p99 < 10 ms (SQLite) | not met | 5,000 req/s, p99 20 ms, 0 errors (NestJS floor in this run: p99 4 ms, 18,000 req/s) |',
    );
  });

  it('renders every section that was measured, with the machine and the targets', () => {
    const results: BenchResults = {
      startedAt: '2026-11-22T10:00:00.000Z',
      finishedAt: '2026-11-22T10:20:00.000Z',
      machine: {
        cpus: '2 x Test CPU',
        cores: 2,
        memoryBytes: 4096 * MB,
        node: 'v20.20.2',
        platform: 'linux x64',
        loadAverage: [0.1, 0.2, 0.3],
      },
      settings: ['Load: autocannon.'],
      load: LOAD,
      ratios: {},
      startup: startup(),
      sync: [syncResult()],
      soak: soak(),
      targets: [{ target: 'Token endpoint >= 2x oidc-provider (SQLite)', status: 'met', figure: '2.50x' }],
      failures: [],
    };
    const markdown = renderMarkdown(results);
    expect(markdown).toContain('Machine: 2 x Test CPU, 4,096 MB memory, linux x64, Node v20.20.2');
    expect(markdown).toContain('- Load: autocannon.');
    for (const section of ['## Load', '### Ratios', '## Start-up', '## Sync', '## Soak', '## Targets']) expect(markdown).toContain(section);
    expect(markdown).toContain('| Token endpoint >= 2x oidc-provider (SQLite) | met | 2.50x |');
    expect(markdown).toContain('| 12 ms (median 11 ms; 22 ms as scraped) |');
  });

  it('leaves out sections that were not run and lists failed scenarios by their first line', () => {
    const markdown = renderMarkdown({
      ...NO_RESULTS,
      failures: [{ scenario: 'sync on SQLite', error: 'orgsync exited with code 1 before it was ready.\n\norgsync output...' }],
    });
    for (const section of ['## Load', '## Start-up', '## Sync', '## Soak']) expect(markdown).not.toContain(section);
    expect(markdown).toContain('## Failures\n\n- sync on SQLite: orgsync exited with code 1 before it was ready.\n\n## Targets');
  });
});

import { ratio } from './format.js';
import type { LoadMeasurement } from './load/autocannon-run.js';
import type { LoadRow } from './results.js';

/** The figures of a row that are compared with the reference servers. */
export const COMPARED_FIGURES = {
  requestsPerSecond: (m: LoadMeasurement) => m.requestsPerSecond,
  p50Ms: (m: LoadMeasurement) => m.p50Ms,
  p99Ms: (m: LoadMeasurement) => m.p99Ms,
  cpuPercent: (m: LoadMeasurement) => m.server.cpuPercent,
  peakRssBytes: (m: LoadMeasurement) => m.server.peakRssBytes,
} as const;

export type ComparedFigure = keyof typeof COMPARED_FIGURES;

/** Each figure divided by the same figure of a reference; null without the reference or against a zero. */
export type FigureRatios = Record<ComparedFigure, number | null>;

export interface RowRatios {
  readonly vsNodeHttp: FigureRatios;
  readonly vsOidcProvider: FigureRatios;
}

/** Every row's figures as ratios to the bare node:http server and to node-oidc-provider of the same run. */
export function rowRatios(load: readonly LoadRow[]): Record<string, RowRatios> {
  const bare = load.find((row) => row.id === 'reference/node:http')?.measurement;
  const oidc = load.find((row) => row.id === 'reference/oidc-provider')?.measurement;
  return Object.fromEntries(
    load.map((row) => [row.id, { vsNodeHttp: against(row.measurement, bare), vsOidcProvider: against(row.measurement, oidc) }]),
  );
}

function against(m: LoadMeasurement, reference: LoadMeasurement | undefined): FigureRatios {
  const entries = Object.entries(COMPARED_FIGURES).map(([name, figure]) => [name, reference ? ratio(figure(m), figure(reference)) : null]);
  return Object.fromEntries(entries) as FigureRatios;
}

import { type LoadMeasurement, type LoadOptions, type LoadRequest, measureOnce, runAutocannon } from './autocannon-run.js';
import { poolSlices } from './pooled-slices.js';

/** A server under load: the request every connection repeats, and the process whose CPU and memory are sampled. */
export interface LoadTarget {
  readonly request: LoadRequest;
  readonly pid: number;
}

export interface PairedLoadOptions extends LoadOptions {
  /** Rounds of one slice per target; each slice lasts durationSeconds / rounds. */
  readonly rounds: number;
}

/** A target's figures pooled over its slices, and the slices in the order they ran. */
export interface PairedMeasurement {
  readonly pooled: LoadMeasurement;
  readonly slices: readonly LoadMeasurement[];
}

/** How a slice of load is driven: autocannon against the real servers, or a fake in the unit tests. */
export interface SliceDriver {
  warmUp(target: LoadTarget, options: LoadOptions): Promise<void>;
  measure(target: LoadTarget, options: LoadOptions): Promise<LoadMeasurement>;
}

export const AUTOCANNON_SLICES: SliceDriver = {
  warmUp: async (target, options) => void (await runAutocannon(target.request, options)),
  measure: (target, options) => measureOnce(target.request, target.pid, options),
};

/** Which target runs first and second in each round: A B, then B A, then A B, ... */
export function roundOrder(rounds: number): (readonly [0, 1] | readonly [1, 0])[] {
  return Array.from({ length: rounds }, (_, round) => (round % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)));
}

/**
 * Two servers measured in alternating slices rather than one after the
 * other, so that whatever the machine does meanwhile (another tenant, a
 * frequency change, the page cache) falls on both alike and their ratio
 * holds on a noisy machine. Each target is warmed up once, then `rounds`
 * rounds measure both for durationSeconds / rounds, the order alternating so
 * neither always runs right after the other's load. autocannon stops on its
 * one-second sample tick, so a slice lasts at least a second and is rounded
 * up to whole seconds; rates are over the time actually measured.
 */
export async function measurePaired(
  targets: readonly [LoadTarget, LoadTarget],
  options: PairedLoadOptions,
  driver: SliceDriver = AUTOCANNON_SLICES,
): Promise<[PairedMeasurement, PairedMeasurement]> {
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error(`rounds must be a whole number of at least 1.`);
  if (options.warmupSeconds > 0) {
    for (const target of targets) await driver.warmUp(target, { ...options, durationSeconds: options.warmupSeconds });
  }
  const slice: LoadOptions = { ...options, durationSeconds: options.durationSeconds / options.rounds };
  const slices: [LoadMeasurement[], LoadMeasurement[]] = [[], []];
  for (const order of roundOrder(options.rounds)) {
    for (const index of order) slices[index].push(await driver.measure(targets[index], slice));
  }
  return [
    { pooled: poolSlices(slices[0]), slices: slices[0] },
    { pooled: poolSlices(slices[1]), slices: slices[1] },
  ];
}

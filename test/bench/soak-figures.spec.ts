import { lagFigures, median, rssGrowth, soakRates, type SoakSample } from '../../bench/scenarios/soak-figures.js';
import { MB } from './bench-factories.js';

/** One sample every 10 s of a 600 s soak, RSS given by `rssAt`. */
function samples(rssAt: (t: number) => number, lagAt: (t: number) => number | null = () => 5): SoakSample[] {
  return Array.from({ length: 61 }, (_, i) => ({ t: i * 10, rssBytes: rssAt(i * 10), lagP99Ms: lagAt(i * 10) }));
}

describe('soak figures', () => {
  it('measures RSS growth from after the first minute, ignoring the warm-up', () => {
    const growth = rssGrowth(
      samples((t) => (t < 60 ? 50 * MB : 100 * MB)),
      600,
    );
    expect(growth).toEqual({ afterWarmupBytes: 100 * MB, endBytes: 100 * MB, percent: 0 });
  });

  it('reports steady growth between the window after warm-up and the last window', () => {
    const growth = rssGrowth(
      samples((t) => (t < 540 ? 100 * MB : 120 * MB)),
      600,
    );
    expect(growth.percent).toBeCloseTo(20);
  });

  it('is not moved by one garbage-collection peak at the end', () => {
    const growth = rssGrowth(
      samples((t) => (t === 600 ? 300 * MB : 100 * MB)),
      600,
    );
    expect(growth.percent).toBe(0);
  });

  it('refuses to guess from too few samples', () => {
    expect(() => rssGrowth([{ t: 0, rssBytes: MB, lagP99Ms: 1 }], 600)).toThrow('Too few soak samples');
  });

  it('takes the worst and the median event-loop lag after warm-up, skipping failed scrapes', () => {
    const lags = samples(
      () => MB,
      (t) => (t === 10 ? 500 : t === 300 ? 30 : t === 400 ? null : 5),
    );
    expect(lagFigures(lags, 600, 0)).toEqual({ worstMs: 30, medianMs: 5, worstScrapedMs: 30 });
  });

  it("counts as lag only what exceeds the monitor's sampling tick: an idle loop reads the tick, which is no lag", () => {
    const lags = samples(
      () => MB,
      (t) => (t === 300 ? 46 : t === 310 ? 9.2 : 10.5),
    );
    expect(lagFigures(lags, 600, 10)).toEqual({ worstMs: 36, medianMs: expect.closeTo(0.5, 6), worstScrapedMs: 46 });
  });

  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('asks each stream for a quarter of its own capacity, so together they use half the server', () => {
    expect(soakRates(4_000, 10_000)).toEqual({ tokenRate: 1_000, readRate: 2_500 });
    expect(soakRates(1, 0)).toEqual({ tokenRate: 1, readRate: 1 });
  });
});

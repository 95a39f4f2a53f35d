import { lagFigures, lowerDecile, median, rssGrowth, soakRates, type SoakSample } from '../../bench/scenarios/soak-figures.js';
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
    expect(growth).toEqual({ firstLowBytes: 100 * MB, lastLowBytes: 100 * MB, percent: 0 });
  });

  it('reads a steady leak at its full size over the measured span', () => {
    // 100 MB after warm-up, 20 % more by the end: a straight line from t = 60 s to t = 600 s.
    const growth = rssGrowth(
      samples((t) => (t < 60 ? 100 * MB : 100 * MB + ((t - 60) / 540) * 20 * MB)),
      600,
    );
    expect(growth.firstLowBytes / MB).toBeCloseTo(100, -1);
    expect(growth.percent).toBeCloseTo(20, 0);
  });

  it('is not moved by garbage-collection cycles, wherever the soak ends in them', () => {
    // RSS climbs by 120 MB over 100 s and falls back, every 150 s, as the soak saw. Medians of the first and last
    // windows read this between -22 % and 14 %, by where the cycle stands at the end; the lowest readings do not move.
    for (const offset of [0, 30, 60, 90, 120]) {
      const cycling = samples((t) => {
        const phase = (t + offset) % 150;
        return 250 * MB + (phase < 100 ? (phase / 100) * 120 * MB : 0);
      });
      expect(rssGrowth(cycling, 600).percent).toBe(0);
    }
  });

  it('is not moved by a single low reading, as when V8 returns pages for a moment', () => {
    const growth = rssGrowth(
      samples((t) => (t === 500 ? 190 * MB : 260 * MB)),
      600,
    );
    expect(growth).toEqual({ firstLowBytes: 260 * MB, lastLowBytes: 260 * MB, percent: 0 });
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

  it('takes the lower decile by nearest rank', () => {
    expect(lowerDecile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])).toBe(1);
    expect(lowerDecile(Array.from({ length: 36 }, (_, i) => 36 - i))).toBe(4);
    expect(lowerDecile([])).toBeUndefined();
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

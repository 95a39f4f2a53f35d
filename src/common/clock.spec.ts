import { SystemClock } from './clock.js';

describe('SystemClock', () => {
  it('reports whole seconds since the epoch', () => {
    const clock = new SystemClock();
    const before = Math.floor(Date.now() / 1000);
    const seconds = clock.nowSeconds();
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(Number.isInteger(seconds)).toBe(true);
  });
});

import { INSERT_SIZES, insertSizes } from './audit-insert.statements.js';

describe('insertSizes', () => {
  it('writes a batch as statements of the fixed sizes only, largest first', () => {
    expect(insertSizes(237)).toEqual([100, 100, 20, 5, 5, 5, 1, 1]);
    expect(insertSizes(200)).toEqual([100, 100]);
    expect(insertSizes(2)).toEqual([1, 1]);
    expect(insertSizes(0)).toEqual([]);
  });

  it('covers every row of any batch exactly once', () => {
    for (let rows = 0; rows <= 450; rows++) {
      const sizes = insertSizes(rows);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(rows);
      for (const size of sizes) expect(INSERT_SIZES).toContain(size);
    }
  });
});

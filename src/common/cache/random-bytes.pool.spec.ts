import { RandomBytesPool } from './random-bytes.pool.js';

describe('RandomBytesPool', () => {
  it('hands out each byte of a block once, then draws a new block', () => {
    const pool = new RandomBytesPool(32);
    const slices = [pool.take(16), pool.take(16), pool.take(16)];

    expect(slices.map((slice) => slice.length)).toEqual([16, 16, 16]);
    expect(slices[0]!.buffer).toBe(slices[1]!.buffer);
    expect(slices[2]!.buffer).not.toBe(slices[0]!.buffer);
    expect(new Set(slices.map((slice) => Buffer.from(slice).toString('hex'))).size).toBe(3);
  });

  it('gives more than a block at once when asked', () => {
    expect(new RandomBytesPool(8).take(20)).toHaveLength(20);
  });

  it('looks random: no repeats over many IDs worth of bytes', () => {
    const pool = new RandomBytesPool();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(Buffer.from(pool.take(16)).toString('hex'));
    expect(seen.size).toBe(5000);
  });
});

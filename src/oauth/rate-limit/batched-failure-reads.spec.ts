import { BatchedFailureReads, type FailureRow } from './batched-failure-reads.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A reader over fixed rows that records each statement's keys. */
function readerOver(rows: Record<string, FailureRow>) {
  const statements: string[][] = [];
  const read = async (keys: readonly string[]) => {
    statements.push([...keys]);
    return new Map(keys.filter((key) => key in rows).map((key) => [key, rows[key]!]));
  };
  return { statements, read };
}

describe('BatchedFailureReads', () => {
  it('reads every key asked for in one event-loop turn with one statement, each key once', async () => {
    const { statements, read } = readerOver({ 'f:a 1': { points: 2, expire: Date.now() + 30_000 } });
    const reads = new BatchedFailureReads(read, 5);
    const results = await Promise.all([reads.get('f:a 1'), reads.get('f:b 2'), reads.get('f:a 1')]);
    expect(statements).toEqual([['f:a 1', 'f:b 2']]);
    expect(results[0]).toMatchObject({ consumedPoints: 2, remainingPoints: 3 });
    expect(results[0]!.msBeforeNext).toBeGreaterThan(29_000);
    expect(results[0]!.msBeforeNext).toBeLessThanOrEqual(30_000);
    expect(results[1]).toBeNull();
    expect(results[2]).toBe(results[0]);
  });

  it('never lets a request join a statement already sent: a later turn gets a statement of its own and sees what changed', async () => {
    const rows: Record<string, FailureRow> = {};
    const { statements, read } = readerOver(rows);
    const reads = new BatchedFailureReads(read, 2);
    const before = reads.get('f:k');
    await nextTurn();
    // A lockout committed (by any replica) after the first statement went out, before the next request arrived.
    rows['f:k'] = { points: 3, expire: Date.now() + 60_000 };
    const after = reads.get('f:k');
    expect(await before).toBeNull();
    expect(await after).toMatchObject({ consumedPoints: 3, remainingPoints: 0 });
    expect(statements).toEqual([['f:k'], ['f:k']]);
  });

  it('gives a row that never expires msBeforeNext -1, as rate-limiter-flexible does', async () => {
    const { read } = readerOver({ 'f:k': { points: 1, expire: null } });
    expect(await new BatchedFailureReads(read, 5).get('f:k')).toMatchObject({ consumedPoints: 1, msBeforeNext: -1 });
  });

  it('counts the time left from the answer, so a slow reply never stretches a lockout past its window', async () => {
    // As the Redis reader does: the row's end is the reply's arrival plus the key's PTTL.
    const reads = new BatchedFailureReads(async (keys) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return new Map(keys.map((key) => [key, { points: 3, expire: Date.now() + 60_000 }]));
    }, 3);
    const result = await reads.get('f:k');
    expect(result!.msBeforeNext).toBeGreaterThan(59_000);
    expect(result!.msBeforeNext).toBeLessThanOrEqual(60_000);
  });

  it('treats a row that expired while the answer was on its way as gone', async () => {
    const reads = new BatchedFailureReads(async (keys, now) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return new Map(keys.map((key) => [key, { points: 3, expire: now + 10 }]));
    }, 3);
    await expect(reads.get('f:k')).resolves.toBeNull();
  });

  it('rejects every request of a failed statement, and reads again at the next one', async () => {
    let fail = true;
    const reads = new BatchedFailureReads(async () => {
      if (fail) throw new Error('connection refused');
      return new Map();
    }, 5);
    const failed = [reads.get('f:a'), reads.get('f:b')];
    await expect(
      Promise.all(
        failed.map((read) =>
          read.then(
            () => 'read',
            (error: Error) => error.message,
          ),
        ),
      ),
    ).resolves.toEqual(['connection refused', 'connection refused']);
    fail = false;
    await expect(reads.get('f:a')).resolves.toBeNull();
  });
});

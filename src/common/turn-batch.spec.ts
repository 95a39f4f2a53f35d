import { currentFrame, runInNewFrame } from './async-context.js';
import { TurnBatch } from './turn-batch.js';

/** A loader that records each call's keys and answers from `values`. */
function recordingLoader(values: Record<string, string>) {
  const calls: string[][] = [];
  const load = (keys: readonly string[]) => {
    calls.push([...keys]);
    return Promise.resolve(new Map(keys.filter((key) => key in values).map((key) => [key, values[key]!])));
  };
  return { calls, load };
}

describe('TurnBatch', () => {
  it('answers the lookups of one turn with one load of their distinct keys', async () => {
    const { calls, load } = recordingLoader({ a: 'A', b: 'B' });
    const batch = new TurnBatch(load, 100);

    const answers = await Promise.all([batch.get('a'), batch.get('b'), batch.get('a'), batch.get('missing')]);

    expect(answers).toEqual(['A', 'B', 'A', undefined]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
  });

  it('never adds a lookup to a load already started: a later lookup gets a load of its own', async () => {
    const { calls, load } = recordingLoader({ a: 'A', b: 'B' });
    const batch = new TurnBatch(load, 100);

    const first = batch.get('a');
    await new Promise((resolve) => setImmediate(resolve));
    // The first load has started (its turn is over); this lookup must not be answered by it.
    const second = batch.get('b');

    expect(await Promise.all([first, second])).toEqual(['A', 'B']);
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('splits a turn with more keys than a load takes', async () => {
    const values = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, `v${i}`]));
    const { calls, load } = recordingLoader(values);
    const batch = new TurnBatch(load, 3);

    const answers = await Promise.all(Object.keys(values).map((key) => batch.get(key)));

    expect(answers).toEqual(Object.values(values));
    expect(calls.map((keys) => keys.length)).toEqual([3, 3, 1]);
  });

  it("fails every lookup of a failed load with the load's error, and the next turn loads afresh", async () => {
    let failing = true;
    const batch = new TurnBatch(
      (keys) => (failing ? Promise.reject(new Error('database unreachable')) : Promise.resolve(new Map(keys.map((key) => [key, key])))),
      100,
    );

    const failed = await Promise.allSettled([batch.get('a'), batch.get('b')]);
    expect(failed.map((result) => result.status === 'rejected' && (result.reason as Error).message)).toEqual([
      'database unreachable',
      'database unreachable',
    ]);

    failing = false;
    expect(await batch.get('a')).toBe('a');
  });

  it('loads outside the async context of the request that started the batch', async () => {
    let frameOfLoad: unknown = 'not loaded';
    const batch = new TurnBatch((keys) => {
      frameOfLoad = currentFrame();
      return Promise.resolve(new Map(keys.map((key) => [key, key])));
    }, 100);

    await runInNewFrame({ request: { id: 'first request' } }, () => batch.get('a'));

    expect(frameOfLoad).toEqual({});
  });
});

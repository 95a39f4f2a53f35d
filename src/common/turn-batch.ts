import { runInNewFrame } from './async-context.js';
import { chunksOf } from './chunks.js';

/** Loads the values of many keys at once; a key with no value is absent from the map. */
export type ManyLoader<V> = (keys: readonly string[]) => Promise<ReadonlyMap<string, V>>;

interface Waiting<V> {
  readonly resolve: (value: V | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The lookups asked for during one event-loop turn, answered by one load of
 * all their keys (at most `maxKeys` a load), as DataLoader batches, but per
 * turn rather than per tick: under load one turn handles many requests, each
 * arriving in an I/O callback of its own, and a tick batch would hold one.
 *
 * As fresh as a load per lookup: the load starts after every lookup of the
 * turn was asked for (setImmediate runs once the turn's I/O callbacks and their
 * promise chains are done), and a lookup never joins a load already started.
 * A failed load fails each of its lookups with its error. The load runs in an
 * async-context frame of its own: it belongs to no one request.
 */
export class TurnBatch<V> {
  private pending = new Map<string, Waiting<V>[]>();
  private scheduled = false;

  constructor(
    private readonly loadMany: ManyLoader<V>,
    private readonly maxKeys: number,
  ) {}

  get(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        runInNewFrame({}, () => setImmediate(() => this.loadPending()));
      }
    });
  }

  private loadPending(): void {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const keys of chunksOf([...batch.keys()], this.maxKeys)) void this.load(batch, keys);
  }

  private async load(batch: ReadonlyMap<string, Waiting<V>[]>, keys: readonly string[]): Promise<void> {
    try {
      const values = await this.loadMany(keys);
      for (const key of keys) for (const { resolve } of batch.get(key)!) resolve(values.get(key));
    } catch (error) {
      for (const key of keys) for (const { reject } of batch.get(key)!) reject(error);
    }
  }
}

import { currentFrame, runWithParts } from '../common/async-context.js';

/** The async context that holds a lock; a new object for each hold, so a context that outlives its hold owns nothing. */
type Hold = object;

/**
 * A first-come, first-served mutex whose holder may enter again: work started
 * while the lock is held, from the async context of the holder (awaited by it,
 * at any depth), runs at once instead of waiting for itself.
 */
export class ConnectionLock {
  private tail: Promise<void> = Promise.resolve();
  private current: Hold | undefined;
  /** Callers holding or waiting for the lock. */
  private users = 0;

  /** True in the async context that holds the lock, while it holds it. */
  get heldHere(): boolean {
    return this.current !== undefined && currentFrame()?.lockHold === this.current;
  }

  /** Runs `work` holding the lock: at once in the holder's context, otherwise after everyone queued before it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.heldHere) return work();
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    // Nobody holds or awaits the lock: every earlier holder has released it, so there is nothing to wait for.
    // Skipping that await saves a turn of the microtask queue on every uncontended statement (most of them).
    if (this.users++ > 0) await previous;
    const hold: Hold = {};
    this.current = hold;
    try {
      return await runWithParts({ lockHold: hold }, work);
    } finally {
      this.current = undefined;
      this.users--;
      release();
    }
  }
}

/**
 * Runs `work` outside any lock's context: for work that a holder starts but does
 * not await (a background flush, a timer), which must queue like any other
 * caller instead of slipping into the holder's open transaction.
 */
export function detachedFromConnectionLock<T>(work: () => T): T {
  return runWithParts({ lockHold: undefined }, work);
}

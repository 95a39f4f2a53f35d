import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A delay before every listing answer (GET /Users, GET /Groups), as a large or
 * distant directory has: a client's walk through many pages then takes long
 * enough to stop it part way (kill a worker mid-run, shut one down). The
 * request is counted in the stats when it arrives, before the delay.
 */
export class ListingPace {
  private delayMs: number;
  /** Aborted by close(): a delayed request must not keep the upstream, or a test run, alive. */
  private readonly closing = new AbortController();

  constructor(delayMs = 0) {
    this.delayMs = checkedDelay(delayMs);
  }

  get listDelayMs(): number {
    return this.delayMs;
  }

  /** Applies to listing requests that arrive from now on; those already waiting keep their delay. */
  setListDelay(delayMs: number): void {
    this.delayMs = checkedDelay(delayMs);
  }

  /** Waits out the delay before a listing is answered. */
  async beforeListing(): Promise<void> {
    if (this.delayMs === 0 || this.closing.signal.aborted) return;
    await sleep(this.delayMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
  }

  /** Ends every wait at once (the upstream is closing). */
  releaseAll(): void {
    this.closing.abort();
  }
}

function checkedDelay(delayMs: number): number {
  if (!Number.isInteger(delayMs) || delayMs < 0)
    throw new Error(`listDelayMs must be a whole number of milliseconds >= 0, not ${delayMs}.`);
  return delayMs;
}

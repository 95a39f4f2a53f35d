import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the code running now belongs to. Each part is set by its own module:
 * `request` by common/http/request-context.ts, `audit` by audit/audit-context.ts,
 * `lockHold` by database/connection-lock.ts. Frames are never changed once
 * entered: entering a part makes a new frame with the others carried over.
 */
export interface AsyncContextFrame {
  /** The HTTP request being handled (a FastifyRequest; typed by request-context.ts). */
  readonly request?: object;
  /** An audit context set explicitly (the CLI, a scheduled job). */
  readonly audit?: object;
  /** The hold of the ConnectionLock this code runs under, if any. */
  readonly lockHold?: object;
}

/**
 * One AsyncLocalStorage for the whole process, rather than one per concern.
 * On Node 20 every enabled AsyncLocalStorage copies its store onto every new
 * promise and async resource (async_hooks' init hook), and the request
 * pipeline creates dozens of promises per request: with three storages that
 * propagation was a measurable part of each token request (docs/benchmarks.md).
 */
const storage = new AsyncLocalStorage<AsyncContextFrame>();

export function currentFrame(): AsyncContextFrame | undefined {
  return storage.getStore();
}

/** Runs `work` in a frame with `parts` set and the rest of the current frame kept. */
export function runWithParts<T>(parts: AsyncContextFrame, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...parts }, work);
}

/** Runs `work` in a frame of its own holding only `frame`: a new request starts from nothing. */
export function runInNewFrame<T>(frame: AsyncContextFrame, work: () => T): T {
  return storage.run(frame, work);
}

import type { KeyObject } from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { answerSigningRequest, type SigningRequest } from './jws-signing.protocol.js';

/** Marks the worker's data, so importing this file anywhere else runs nothing. */
export const SIGNING_WORKER_ROLE = 'orgsync-jws-signer';

export interface SigningWorkerData {
  readonly role: typeof SIGNING_WORKER_ROLE;
}

/**
 * The JWS signing thread: signs each batch the server posts and posts the
 * signatures back (jws-signing-thread.ts says why). It holds nothing but the
 * private keys it was sent, and any uncaught error ends it: the server then
 * signs on libuv's threadpool.
 */
function runSigningWorker(): void {
  const keys = new Map<number, KeyObject>();
  parentPort!.on('message', (request: SigningRequest) => {
    const reply = answerSigningRequest(keys, request);
    if (reply) parentPort!.postMessage(reply);
  });
}

function isSigningWorkerData(data: unknown): data is SigningWorkerData {
  return (data as Partial<SigningWorkerData> | null)?.role === SIGNING_WORKER_ROLE;
}

if (!isMainThread && isSigningWorkerData(workerData)) runSigningWorker();

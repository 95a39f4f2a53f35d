import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type JwsHeader, signingInput, signOnThreadpool } from './jws-signer.js';
import type { SigningReply, SigningRequest } from './jws-signing.protocol.js';
import { SIGNING_WORKER_ROLE, type SigningWorkerData } from './jws-signing.worker.js';

/** Where the compiled worker lives, beside this file (dist/ or a test build). */
export const SIGNING_WORKER_URL = new URL('./jws-signing.worker.js', import.meta.url);

/** Tokens per message to the thread: about 2 ms of signing at most (ES256, about 30 µs each). */
export const MAX_BATCH = 64;

interface PendingToken {
  readonly input: string;
  readonly privateKey: KeyObject;
  resolve(token: string): void;
  reject(error: Error): void;
}

/**
 * Signs access tokens on a thread of its own, in batches: the tokens asked for
 * in one turn of the event loop go to the thread in one message, and come back
 * in one.
 *
 * Why not crypto.sign with a callback for each token (jws-signer.ts): each
 * call makes an async resource (with AsyncLocalStorage on Node 20, a trip
 * into JavaScript's init hook) and wakes a threadpool thread, and on a busy
 * 2-core VM that hand-off took more of the event loop than the signature
 * itself: crypto's signOneShot was 11 % of the token row's event-loop samples,
 * against 2-7 µs per token for one postMessage per batch (docs/benchmarks.md).
 *
 * The thread starts with the first token, so a server that issues none never
 * pays for it. When there is no compiled worker beside this file (Jest runs the
 * TypeScript sources) or the thread fails, tokens are signed on libuv's
 * threadpool instead, those in flight included, so no token request fails
 * because of the thread.
 */
@Injectable()
export class JwsSigningThread implements OnApplicationShutdown {
  private readonly logger = new Logger('JwsSigning');
  private worker: Worker | undefined;
  /** Whether tokens go to the thread; looked up at the first token, false once the thread has failed. */
  private available: boolean | undefined;
  private stopping = false;
  private queue: PendingToken[] = [];
  private flushScheduled = false;
  private readonly inFlight = new Map<number, PendingToken[]>();
  private nextBatch = 0;
  /** The number each private key was sent to the thread under; a new key (after a rotation) is sent before its first batch. */
  private readonly keyNumbers = new WeakMap<KeyObject, number>();
  private nextKeyNumber = 0;

  /** The compact serialization of a JWS over `header` and `claims`, signed with `privateKey`. */
  sign(header: JwsHeader, claims: object, privateKey: KeyObject): Promise<string> {
    const input = signingInput(header, claims);
    this.available ??= this.workerScriptExists();
    if (!this.available) return signOnThreadpool(input, privateKey);
    return new Promise((resolve, reject) => {
      this.queue.push({ input, privateKey, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // After the poll phase: every token asked for by the requests read in this turn joins one batch.
      setImmediate(() => this.flush());
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker?.terminate();
  }

  private flush(): void {
    this.flushScheduled = false;
    const tokens = this.queue;
    this.queue = [];
    const worker = this.available ? (this.worker ?? this.start()) : undefined;
    if (!worker) return this.signOnThreadpool(tokens);
    // A burst is sent in several batches, so the first tokens come back while the thread signs the rest.
    for (let start = 0; start < tokens.length; start += MAX_BATCH) this.send(worker, tokens.slice(start, start + MAX_BATCH));
  }

  private send(worker: Worker, tokens: PendingToken[]): void {
    const batch = this.nextBatch++;
    const jobs = tokens.map((token) => ({ key: this.keyNumber(worker, token.privateKey), input: token.input }));
    this.inFlight.set(batch, tokens);
    worker.postMessage({ kind: 'sign', batch, jobs } satisfies SigningRequest);
  }

  private keyNumber(worker: Worker, privateKey: KeyObject): number {
    let key = this.keyNumbers.get(privateKey);
    if (key === undefined) {
      key = this.nextKeyNumber++;
      this.keyNumbers.set(privateKey, key);
      // Messages arrive in order, so the key is there before the batch that names it.
      worker.postMessage({ kind: 'key', key, privateKey } satisfies SigningRequest);
    }
    return key;
  }

  private start(): Worker | undefined {
    let worker: Worker;
    try {
      worker = this.createWorker({ role: SIGNING_WORKER_ROLE });
    } catch (error) {
      this.fallBack(`could not start (${(error as Error).message})`);
      return undefined;
    }
    // The thread never keeps the process alive; the HTTP server does while there are requests to sign for.
    worker.unref();
    worker.on('message', (reply: SigningReply) => this.settle(reply));
    worker.once('error', (error) => this.fallBack(`failed (${error.message})`));
    worker.once('exit', (code) => this.fallBack(`ended with code ${code}`));
    this.worker = worker;
    this.logger.log('Signing access tokens on a worker thread.');
    return worker;
  }

  /** Whether the compiled worker is there to start; tests decide. */
  protected workerScriptExists(): boolean {
    return existsSync(fileURLToPath(SIGNING_WORKER_URL));
  }

  /** The thread itself; tests put a stand-in here. */
  protected createWorker(workerData: SigningWorkerData): Worker {
    return new Worker(SIGNING_WORKER_URL, { workerData });
  }

  private settle(reply: SigningReply): void {
    const tokens = this.inFlight.get(reply.batch);
    if (!tokens) return;
    this.inFlight.delete(reply.batch);
    tokens.forEach((token, index) => {
      const signature = reply.signatures[index];
      if (typeof signature === 'string') token.resolve(`${token.input}.${signature}`);
      else token.reject(new Error('The access token could not be signed with the signing key.'));
    });
  }

  /** From now on every token is signed on libuv's threadpool, those the thread had not answered first. */
  private fallBack(reason: string): void {
    if (!this.worker && this.available === false) return;
    this.available = false;
    this.worker = undefined;
    if (!this.stopping) this.logger.warn(`The JWS signing thread ${reason}; tokens are signed on libuv's threadpool from now on.`);
    const stranded = [...this.inFlight.values()].flat();
    this.inFlight.clear();
    this.signOnThreadpool(stranded);
  }

  private signOnThreadpool(tokens: readonly PendingToken[]): void {
    for (const token of tokens) signOnThreadpool(token.input, token.privateKey).then(token.resolve, token.reject);
  }
}

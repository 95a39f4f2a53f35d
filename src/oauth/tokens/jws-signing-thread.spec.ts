import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { importJWK, jwtVerify } from 'jose';
import type { SigningAlgorithm } from '../../config/environment.js';
import type { JwsHeader } from './jws-signer.js';
import { JwsSigningThread, MAX_BATCH } from './jws-signing-thread.js';
import { answerSigningRequest, type SigningRequest } from './jws-signing.protocol.js';
import type { SigningWorkerData } from './jws-signing.worker.js';

const claims = { iss: 'https://as.example', sub: 'c1', aud: 'orgsync-api', scope: 'org:read', iat: 1_900_000_000, exp: 1_900_000_600 };

/**
 * A stand-in for the thread that answers with the real protocol code, a turn
 * later: Jest runs the TypeScript sources, beside which there is no compiled
 * worker to load (test/e2e/token-signing-thread.e2e-spec.ts runs the real one).
 */
class FakeWorker extends EventEmitter {
  readonly requests: SigningRequest[] = [];
  answering = true;
  private readonly keys = new Map<number, KeyObject>();
  postMessage(request: SigningRequest): void {
    this.requests.push(request);
    const reply = answerSigningRequest(this.keys, request);
    if (reply && this.answering) setImmediate(() => this.emit('message', reply));
  }
  unref(): void {}
  terminate(): Promise<number> {
    setImmediate(() => this.emit('exit', 1));
    return Promise.resolve(1);
  }
  batches(): Extract<SigningRequest, { kind: 'sign' }>[] {
    return this.requests.filter((request) => request.kind === 'sign');
  }
}

class TestSigningThread extends JwsSigningThread {
  readonly started: SigningWorkerData[] = [];
  readonly fake = new FakeWorker();
  constructor(private readonly compiled = true) {
    super();
  }
  protected override workerScriptExists(): boolean {
    return this.compiled;
  }
  protected override createWorker(workerData: SigningWorkerData): Worker {
    this.started.push(workerData);
    return this.fake as unknown as Worker;
  }
}

function keyPair(alg: SigningAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  return alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
}

async function verified(token: string, publicKey: KeyObject, alg: SigningAlgorithm) {
  const jwk = await importJWK({ ...publicKey.export({ format: 'jwk' }), alg }, alg);
  const { payload, protectedHeader } = await jwtVerify(token, jwk, { currentDate: new Date((claims.iat + 1) * 1000), typ: 'at+jwt' });
  return { payload, kid: protectedHeader.kid };
}

describe('JwsSigningThread', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  describe.each(['ES256', 'RS256'] as const)('with %s', (alg) => {
    const { privateKey, publicKey } = keyPair(alg);
    const header: JwsHeader = { alg, typ: 'at+jwt', kid: 'k-1' };

    it('sends the tokens asked for in one turn as one batch, each signed so that jose verifies it', async () => {
      const thread = new TestSigningThread();
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => thread.sign(header, { ...claims, jti: `t${i}` }, privateKey)));

      expect(thread.started).toEqual([{ role: 'orgsync-jws-signer' }]);
      expect(thread.fake.batches()).toHaveLength(1);
      expect(thread.fake.batches()[0]!.jobs).toHaveLength(20);
      for (const [i, token] of tokens.entries()) {
        expect(await verified(token, publicKey, alg)).toEqual({ payload: { ...claims, jti: `t${i}` }, kid: 'k-1' });
      }
    });
  });

  it('sends a burst in batches of at most MAX_BATCH, in the order asked, every token answered', async () => {
    const thread = new TestSigningThread();
    const { privateKey, publicKey } = keyPair('ES256');
    const count = 2 * MAX_BATCH + 5;
    const tokens = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        thread.sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k' }, { ...claims, jti: `t${i}` }, privateKey),
      ),
    );

    expect(thread.fake.batches().map((batch) => batch.jobs.length)).toEqual([MAX_BATCH, MAX_BATCH, 5]);
    expect((await verified(tokens[count - 1]!, publicKey, 'ES256')).payload).toEqual({ ...claims, jti: `t${count - 1}` });
    expect((await verified(tokens[MAX_BATCH]!, publicKey, 'ES256')).payload).toEqual({ ...claims, jti: `t${MAX_BATCH}` });
  });

  it('starts one thread, and sends each key to it once, a new key before the first batch that names it', async () => {
    const thread = new TestSigningThread();
    const first = keyPair('ES256');
    const second = keyPair('ES256');
    await thread.sign({ alg: 'ES256', typ: 'at+jwt', kid: 'a' }, claims, first.privateKey);
    await thread.sign({ alg: 'ES256', typ: 'at+jwt', kid: 'a' }, claims, first.privateKey);
    const rotated = await thread.sign({ alg: 'ES256', typ: 'at+jwt', kid: 'b' }, claims, second.privateKey);

    expect(thread.started).toHaveLength(1);
    expect(thread.fake.requests.map((request) => request.kind)).toEqual(['key', 'sign', 'sign', 'key', 'sign']);
    expect((await verified(rotated, second.publicKey, 'ES256')).kid).toBe('b');
  });

  it('rejects only the token whose key cannot sign, and signs the rest of its batch', async () => {
    const thread = new TestSigningThread();
    const { privateKey, publicKey } = keyPair('ES256');
    const header: JwsHeader = { alg: 'ES256', typ: 'at+jwt', kid: 'k' };
    const [good, bad] = await Promise.allSettled([thread.sign(header, claims, privateKey), thread.sign(header, claims, publicKey)]);

    expect(thread.fake.batches()).toHaveLength(1);
    expect(good.status).toBe('fulfilled');
    expect(bad).toEqual({ status: 'rejected', reason: new Error('The access token could not be signed with the signing key.') });
  });

  it('signs on the threadpool what the thread had not answered when it ended, and everything after, with a warning', async () => {
    const thread = new TestSigningThread();
    const { privateKey, publicKey } = keyPair('ES256');
    const header: JwsHeader = { alg: 'ES256', typ: 'at+jwt', kid: 'k' };
    thread.fake.answering = false;
    const stranded = thread.sign(header, claims, privateKey);
    await new Promise((resolve) => setImmediate(resolve));
    expect(thread.fake.batches()).toHaveLength(1);

    thread.fake.emit('exit', 1);
    const later = await thread.sign(header, claims, privateKey);

    expect((await verified(await stranded, publicKey, 'ES256')).payload).toEqual(claims);
    expect((await verified(later, publicKey, 'ES256')).payload).toEqual(claims);
    expect(thread.fake.batches()).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith("The JWS signing thread ended with code 1; tokens are signed on libuv's threadpool from now on.");
  });

  it('signs on the threadpool, starting no thread, when there is no compiled worker (the TypeScript sources)', async () => {
    const thread = new TestSigningThread(false);
    const { privateKey, publicKey } = keyPair('ES256');
    const token = await thread.sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k' }, claims, privateKey);

    expect((await verified(token, publicKey, 'ES256')).payload).toEqual(claims);
    expect(thread.started).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('starts no thread until the first token, and ends it at shutdown without a warning', async () => {
    const thread = new TestSigningThread();
    expect(thread.started).toEqual([]);
    await thread.sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k' }, claims, keyPair('ES256').privateKey);
    const exited = new Promise((resolve) => thread.fake.once('exit', resolve));

    await thread.onApplicationShutdown();

    expect(await exited).toBe(1);
    expect(warn).not.toHaveBeenCalled();
  });
});

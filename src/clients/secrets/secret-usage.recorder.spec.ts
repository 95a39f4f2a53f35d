import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import type { ClientSecretsRepository } from './client-secrets.repository.js';
import { SECRET_USAGE_FLUSH_MS, SECRET_USAGE_GRANULARITY_MS, SecretUsageRecorder } from './secret-usage.recorder.js';

class FakeClock extends Clock {
  constructor(private current: number) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

const T0 = Date.parse('2030-01-01T00:00:00Z');

describe('SecretUsageRecorder', () => {
  let clock: FakeClock;
  let secrets: jest.Mocked<Pick<ClientSecretsRepository, 'recordLastUses'>>;
  let recorder: SecretUsageRecorder;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['Date'] });
    clock = new FakeClock(T0);
    secrets = { recordLastUses: jest.fn<ClientSecretsRepository['recordLastUses']>().mockResolvedValue() };
    recorder = new SecretUsageRecorder(secrets as unknown as ClientSecretsRepository, clock);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('writes nothing per request: uses wait in memory until a flush', () => {
    recorder.recordUse('s1');
    recorder.recordUse('s2');
    expect(secrets.recordLastUses).not.toHaveBeenCalled();
  });

  it('flushes the latest use of each secret in one batch, skipping secrets stored as used within the granularity', async () => {
    recorder.recordUse('s1');
    clock.advance(5_000);
    recorder.recordUse('s2');
    clock.advance(10_000);
    recorder.recordUse('s1');

    await recorder.flush();

    expect(secrets.recordLastUses).toHaveBeenCalledTimes(1);
    const [uses, unlessUsedSince] = secrets.recordLastUses.mock.calls[0]!;
    expect(Object.fromEntries(uses)).toEqual({ s1: new Date(T0 + 15_000), s2: new Date(T0 + 5_000) });
    expect(unlessUsedSince).toEqual(new Date(T0 + 15_000 - SECRET_USAGE_GRANULARITY_MS));
  });

  it('flushes on its own once the flush interval has passed since the first use', async () => {
    recorder.recordUse('s1');
    await jest.advanceTimersByTimeAsync(SECRET_USAGE_FLUSH_MS - 1);
    expect(secrets.recordLastUses).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(1);

    expect(secrets.recordLastUses).toHaveBeenCalledTimes(1);
    expect([...secrets.recordLastUses.mock.calls[0]![0].keys()]).toEqual(['s1']);
  });

  it('starts afresh after a flush and does not write an empty batch', async () => {
    recorder.recordUse('s1');
    await recorder.flush();
    await recorder.flush();
    recorder.recordUse('s2');
    await recorder.flush();

    expect(secrets.recordLastUses).toHaveBeenCalledTimes(2);
    expect([...secrets.recordLastUses.mock.calls[1]![0].keys()]).toEqual(['s2']);
  });

  it('flushes what it holds when the application shuts down', async () => {
    recorder.recordUse('s1');
    await recorder.beforeApplicationShutdown();
    expect(secrets.recordLastUses).toHaveBeenCalledTimes(1);
  });

  it('drops a batch the database refused, without failing the caller', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    secrets.recordLastUses.mockRejectedValueOnce(new Error('database down'));
    recorder.recordUse('s1');
    await expect(recorder.flush()).resolves.toBeUndefined();
    recorder.recordUse('s2');
    await recorder.flush();
    expect(secrets.recordLastUses).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith('Could not record client secret usage: database down');
  });
});

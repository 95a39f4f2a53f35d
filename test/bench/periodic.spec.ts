import { jest } from '@jest/globals';
import { PeriodicTask } from '../../bench/load/periodic.js';

/** A task whose runs stay open until `finish()` is called, recording when each starts and ends. */
function controlledTask() {
  const events: string[] = [];
  let release: (() => void) | undefined;
  let started = 0;
  const task = async (): Promise<void> => {
    const run = ++started;
    events.push(`start ${run}`);
    await new Promise<void>((resolve) => (release = resolve));
    events.push(`end ${run}`);
  };
  return { task, events, finish: () => release?.(), started: () => started };
}

/** A PeriodicTask every 10 ms, started, counting the runs of a task that returns at once (or throws, if told to). */
function counted(throws = false) {
  let runs = 0;
  const periodic = new PeriodicTask(async () => {
    runs++;
    if (throws) throw new Error('scrape failed');
  }, 10);
  periodic.start();
  return { periodic, runs: () => runs };
}

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the task on every tick while it is idle', async () => {
    const { periodic, runs } = counted();
    await jest.advanceTimersByTimeAsync(50);
    await periodic.stop();
    expect(runs()).toBe(5);
  });

  it('skips ticks while a run is in flight instead of starting a second beside it', async () => {
    const { task, events, finish, started } = controlledTask();
    const periodic = new PeriodicTask(task, 10);
    periodic.start();
    await jest.advanceTimersByTimeAsync(50);
    expect(started()).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(10);
    expect(events).toEqual(['start 1', 'end 1', 'start 2']);
    finish();
    await periodic.stop();
  });

  it('stop() waits for the run in flight, so what the caller records next comes last', async () => {
    const { task, events, finish } = controlledTask();
    const periodic = new PeriodicTask(task, 10);
    periodic.start();
    await jest.advanceTimersByTimeAsync(10);
    const stopped = periodic.stop().then(() => events.push('after stop'));
    await jest.advanceTimersByTimeAsync(50);
    expect(events).toEqual(['start 1']);
    finish();
    await stopped;
    expect(events).toEqual(['start 1', 'end 1', 'after stop']);
  });

  it('keeps ticking after a run that throws, without an unhandled rejection', async () => {
    const { periodic, runs } = counted(true);
    await jest.advanceTimersByTimeAsync(30);
    await expect(periodic.stop()).resolves.toBeUndefined();
    expect(runs()).toBe(3);
  });

  it('runs nothing after stop()', async () => {
    const { periodic, runs } = counted();
    await jest.advanceTimersByTimeAsync(20);
    await periodic.stop();
    await jest.advanceTimersByTimeAsync(100);
    expect(runs()).toBe(2);
  });
});

import { ConnectionLock, detachedFromConnectionLock } from './connection-lock.js';

/** A promise with its resolver, to hold work open until the test lets it go. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('ConnectionLock', () => {
  it('runs one holder at a time, in the order they asked', async () => {
    const lock = new ConnectionLock();
    const events: string[] = [];
    const first = gate();
    const runs = [
      lock.run(async () => {
        events.push('first starts');
        await first.opened;
        events.push('first ends');
      }),
      lock.run(async () => {
        events.push('second runs');
      }),
      lock.run(async () => {
        events.push('third runs');
      }),
    ];
    await Promise.resolve();
    first.open();
    await Promise.all(runs);

    expect(events).toEqual(['first starts', 'first ends', 'second runs', 'third runs']);
  });

  it('lets the holder enter again, at any depth, instead of waiting for itself', async () => {
    const lock = new ConnectionLock();

    const result = await lock.run(() => lock.run(async () => lock.run(async () => Promise.resolve('nested'))));

    expect(result).toBe('nested');
  });

  it('passes the lock on when a holder fails', async () => {
    const lock = new ConnectionLock();
    const failed = lock.run(() => Promise.reject(new Error('rolled back')));

    await expect(failed).rejects.toThrow('rolled back');
    await expect(lock.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('knows the holder only while it holds the lock, not in contexts that outlive the hold', async () => {
    const lock = new ConnectionLock();
    let later: (() => boolean) | undefined;

    const inside = await lock.run(() => {
      later = () => lock.heldHere;
      return Promise.resolve(lock.heldHere);
    });

    expect(inside).toBe(true);
    expect(lock.heldHere).toBe(false);
    expect(later!()).toBe(false);
  });

  it('makes work detached from the holder queue behind it', async () => {
    const lock = new ConnectionLock();
    const events: string[] = [];
    let background: Promise<void> | undefined;

    await lock.run(async () => {
      background = detachedFromConnectionLock(() => lock.run(async () => void events.push('background runs')));
      await Promise.resolve();
      events.push('holder ends');
    });
    await background;

    expect(events).toEqual(['holder ends', 'background runs']);
  });

  it('starts the work of an uncontended caller at once, and queues the next caller behind it', async () => {
    const lock = new ConnectionLock();
    const events: string[] = [];
    const first = gate();
    const running = lock.run(async () => {
      events.push('first starts');
      await first.opened;
      events.push('first ends');
    });
    expect(events).toEqual(['first starts']);
    const second = lock.run(async () => {
      events.push('second runs');
    });
    await Promise.resolve();
    expect(events).toEqual(['first starts']);
    first.open();
    await Promise.all([running, second]);
    await lock.run(async () => {
      events.push('third runs');
    });

    expect(events).toEqual(['first starts', 'first ends', 'second runs', 'third runs']);
  });
});

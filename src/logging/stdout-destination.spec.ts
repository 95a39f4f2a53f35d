import { type EventEmitter, once } from 'node:events';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { DestinationStream } from 'pino';
import { stdoutDestination } from './root-logger.js';

/** Reads the file until it holds `expected` bytes or ten seconds pass. */
async function contentOnceWritten(path: string, expected: number): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const text = readFileSync(path, 'utf8');
    if (text.length >= expected) return text;
    await delay(50);
  }
  return readFileSync(path, 'utf8');
}

describe('the stdout destination', () => {
  let dir: string;
  let path: string;
  let fd: number;
  let destination: DestinationStream & { flushSync?: () => void; destroy?: () => void };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orgsync-stdout-'));
    path = join(dir, 'out.log');
    fd = openSync(path, 'w');
    destination = stdoutDestination(fd);
  });

  afterEach(() => {
    // Closes the file too, and stops the flush timer.
    destination.destroy?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gathers short lines into one write instead of a write per line', async () => {
    const firstWrite = once(destination as unknown as EventEmitter, 'write');
    destination.write('{"msg":"one"}\n');
    destination.write('{"msg":"two"}\n');

    expect(readFileSync(path, 'utf8')).toBe('');
    // sonic-boom emits "write" with the bytes of each write system call.
    expect(await firstWrite).toEqual([28]);
  });

  it('still writes a lone short line while the process runs, without waiting for more lines or the exit', async () => {
    destination.write('{"msg":"lone"}\n');

    expect(await contentOnceWritten(path, 15)).toBe('{"msg":"lone"}\n');
  });

  it('writes everything gathered, in order, when flushed synchronously as pino does at exit', () => {
    const lines = Array.from({ length: 300 }, (_, index) => `{"n":${index}}\n`);
    for (const line of lines) destination.write(line);
    destination.flushSync?.();

    expect(readFileSync(path, 'utf8')).toBe(lines.join(''));
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { CLOCK_TICKS_PER_SECOND, cpuPercent, cpuTicksOfStat, statusKilobytes } from './proc-files.js';

/** What a server process used over one row. */
export interface ProcessUsage {
  /** utime + stime over the row, in percent of one core. */
  readonly cpuPercent: number;
  /** utime + stime over the row, in seconds. */
  readonly cpuSeconds: number;
  /** The largest resident set size seen over the row, in bytes. */
  readonly peakRssBytes: number;
  /** Resident set size at the end of the row, in bytes. */
  readonly endRssBytes: number;
}

/**
 * Measures one server process over a row, from /proc (Linux only). CPU is the
 * difference of utime + stime between start and stop. Peak RSS is the high
 * water mark VmHWM after resetting it (writing 5 to /proc/<pid>/clear_refs,
 * allowed for our own children), and, in case the reset is refused, the
 * largest VmRSS sampled every 50 ms: whichever is larger.
 */
export class ProcessSampler {
  private startTicks = 0;
  private startedAt = 0;
  private sampledPeak = 0;
  private highWaterMarkReset = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 50,
  ) {}

  async start(): Promise<void> {
    clearInterval(this.timer);
    this.highWaterMarkReset = await writeFile(`/proc/${this.pid}/clear_refs`, '5').then(
      () => true,
      () => false,
    );
    this.sampledPeak = (await rssBytes(this.pid)) ?? 0;
    this.startTicks = await cpuTicks(this.pid);
    this.startedAt = performance.now();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<ProcessUsage> {
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const ticks = (await cpuTicks(this.pid)) - this.startTicks;
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const endRssBytes = statusKilobytes(status, 'VmRSS') ?? 0;
    // VmHWM counts from the process's start unless the reset worked: then it would overstate this row.
    const highWaterMark = this.highWaterMarkReset ? (statusKilobytes(status, 'VmHWM') ?? 0) : 0;
    const peakRssBytes = Math.max(this.sampledPeak, endRssBytes, highWaterMark);
    return { cpuPercent: cpuPercent(ticks, seconds), cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, peakRssBytes, endRssBytes };
  }

  private async sample(): Promise<void> {
    const rss = await rssBytes(this.pid);
    if (rss !== undefined && rss > this.sampledPeak) this.sampledPeak = rss;
  }
}

export async function cpuTicks(pid: number): Promise<number> {
  return cpuTicksOfStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** The process's resident set size now; undefined once it has gone. */
export async function rssBytes(pid: number): Promise<number | undefined> {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (status) => statusKilobytes(status, 'VmRSS'),
    () => undefined,
  );
}

/** The process's peak resident set size since start (or the last reset); undefined once it has gone. */
export async function peakRssBytes(pid: number): Promise<number | undefined> {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (status) => statusKilobytes(status, 'VmHWM'),
    () => undefined,
  );
}

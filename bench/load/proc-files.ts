/**
 * Parsers for the Linux /proc files the harness reads about a server process
 * (proc(5)). Pure functions over the file's text, so they are unit-tested
 * without a process; the sampler reads the files.
 */

/** The clock ticks per second of utime and stime: USER_HZ, 100 on every Linux architecture Node runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * utime + stime of /proc/<pid>/stat, in clock ticks: the CPU time of all the
 * process's threads (JavaScript, libuv pool, GC). The second field, the
 * command name, is in parentheses and may hold spaces or ')', so the fields
 * are counted from the last ')'.
 */
export function cpuTicksOfStat(stat: string): number {
  const end = stat.lastIndexOf(')');
  if (end < 0) throw new Error('Not a /proc/<pid>/stat line: no command name.');
  // After "pid (comm) " come field 3 (state) onwards; utime and stime are fields 14 and 15.
  const fields = stat
    .slice(end + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('Not a /proc/<pid>/stat line: no utime and stime.');
  return utime + stime;
}

/** A "Name:   123 kB" line of /proc/<pid>/status, in bytes; undefined when the line is absent. */
export function statusKilobytes(status: string, name: 'VmRSS' | 'VmHWM'): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** CPU use over an interval, in percent of one core (a process busy on two cores shows 200 %). */
export function cpuPercent(ticks: number, seconds: number, ticksPerSecond = CLOCK_TICKS_PER_SECOND): number {
  return seconds > 0 ? (ticks / ticksPerSecond / seconds) * 100 : 0;
}

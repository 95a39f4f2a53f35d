import { cpuPercent, cpuTicksOfStat, statusKilobytes } from '../../bench/load/proc-files.js';

// A real /proc/<pid>/stat line (proc(5)): utime is field 14 (here 1234), stime field 15 (here 56).
const STAT = '4242 (node) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 56 0 0 20 0 11 0 260277 1100000000 50000 18446744073709551615';

const STATUS = ['Name:\tnode', 'VmPeak:\t 1200000 kB', 'VmHWM:\t  204800 kB', 'VmRSS:\t  102400 kB', 'Threads:\t11'].join('\n');

describe('/proc parsing', () => {
  it('adds utime and stime from a stat line', () => {
    expect(cpuTicksOfStat(STAT)).toBe(1290);
  });

  it('counts fields from the last parenthesis, so a command name with spaces and parentheses does not shift them', () => {
    expect(cpuTicksOfStat(STAT.replace('(node)', '(my (odd) server)'))).toBe(1290);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => cpuTicksOfStat('no command here')).toThrow('no command name');
    expect(() => cpuTicksOfStat('1 (node) S 1')).toThrow('no utime and stime');
  });

  it('reads VmRSS and VmHWM from status in bytes', () => {
    expect(statusKilobytes(STATUS, 'VmRSS')).toBe(102_400 * 1024);
    expect(statusKilobytes(STATUS, 'VmHWM')).toBe(204_800 * 1024);
  });

  it('gives undefined for a line the status lacks (a kernel thread has no VmRSS)', () => {
    expect(statusKilobytes('Name:\tkthreadd\nState:\tS', 'VmRSS')).toBeUndefined();
  });

  it('turns clock ticks over an interval into percent of one core', () => {
    expect(cpuPercent(150, 1)).toBe(150);
    expect(cpuPercent(50, 2)).toBe(25);
    expect(cpuPercent(10, 0)).toBe(0);
  });
});

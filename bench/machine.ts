import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { Machine } from './results.js';

/** The machine, read from node:os, for the report: figures mean little without it. */
export function describeMachine(): Machine {
  const processors = cpus();
  const models = [...new Set(processors.map((cpu) => cpu.model.trim()))];
  return {
    cpus: `${processors.length} x ${models.join(' / ') || 'unknown CPU'}`,
    cores: processors.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

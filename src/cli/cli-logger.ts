import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/environment.js';
import type { CliIo } from './output.js';

/** pino's order: a level shows the lines at it and above (LOG_LEVEL=error hides warnings; silent hides both). */
const SEVERITY: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * Nest's log lines for a CLI: only warnings and errors, on stderr, one line
 * each and without stack traces, so stdout carries nothing but the result.
 * Human text, not JSON, whatever LOG_FORMAT says; LOG_LEVEL can quiet it.
 */
export class CliLogger implements LoggerService {
  constructor(
    private readonly io: CliIo,
    private readonly level: LogLevel = 'info',
  ) {}

  log(): void {}

  warn(message: unknown): void {
    this.write('warn', message);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest logs a failed start-up under this context and then rethrows it; runCli reports it once.
    if (params.at(-1) === 'ExceptionHandler') return;
    this.write('error', message);
  }

  fatal(message: unknown): void {
    this.write('fatal', message);
  }

  private write(level: 'warn' | 'error' | 'fatal', message: unknown): void {
    if (SEVERITY[level] < SEVERITY[this.level]) return;
    const label = level === 'warn' ? 'warning' : 'error';
    this.io.stderr.write(`${label}: ${message instanceof Error ? message.message : String(message)}\n`);
  }
}

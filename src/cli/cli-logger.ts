import type { LoggerService } from '@nestjs/common';
import type { CliIo } from './output.js';

/**
 * Nest's log lines for a CLI: only warnings and errors, on stderr, one line
 * each and without stack traces, so stdout carries nothing but the result.
 */
export class CliLogger implements LoggerService {
  constructor(private readonly io: CliIo) {}

  log(): void {}

  warn(message: unknown): void {
    this.write('warning', message);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest logs a failed start-up under this context and then rethrows it; runCli reports it once.
    if (params.at(-1) === 'ExceptionHandler') return;
    this.write('error', message);
  }

  fatal(message: unknown): void {
    this.write('error', message);
  }

  private write(level: string, message: unknown): void {
    this.io.stderr.write(`${level}: ${message instanceof Error ? message.message : String(message)}\n`);
  }
}

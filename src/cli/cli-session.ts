import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { withAuditContext } from '../audit/audit-context.js';
import { AppConfig } from '../config/app-config.js';
import { CliLogger } from './cli-logger.js';
import { CliModule } from './cli.module.js';
import { type CliIo, Output } from './output.js';

/** How long `sync run --follow` waits between looks at the run, and when it speaks up. */
export interface FollowTimings {
  /** Between reads of the run row. */
  readonly pollMs: number;
  /** Between progress lines on a non-terminal (CI logs, pipes); a status change is printed at once. */
  readonly plainLineEveryMs: number;
  /** How long a run may stay queued before the command says no worker seems to be taking it. */
  readonly workerWaitMs: number;
}

export const DEFAULT_FOLLOW_TIMINGS: FollowTimings = { pollMs: 500, plainLineEveryMs: 5_000, workerWaitMs: 10_000 };

/** What the process gives the CLI besides arguments and environment; tests shorten the timings and pick the directory. */
export interface CliSettings {
  /** The working directory relative paths (./data, sqlite:relative.db) resolve against. */
  readonly cwd: string;
  readonly follow: FollowTimings;
  /** Ctrl-C while following: the command stops following (the run goes on). */
  readonly interrupts: { on(event: 'SIGINT', listener: () => void): unknown; off(event: 'SIGINT', listener: () => void): unknown };
}

/** What every command needs: where to print, and the application's services on demand. */
export class CliSession {
  constructor(
    private readonly env: Record<string, string | undefined>,
    readonly io: CliIo,
    private readonly wantsJson: () => boolean,
    readonly settings: CliSettings,
  ) {}

  output(): Output {
    return new Output(this.io, this.wantsJson());
  }

  /** The configuration, validated; throws ConfigurationError naming what is wrong. */
  config(): AppConfig {
    return AppConfig.fromEnvironment(this.env, this.settings.cwd);
  }

  /**
   * Starts the application context (no HTTP server) for one command and
   * closes it afterwards, so the database connection never outlives the command.
   * Configuration is read here, not earlier, so `--help` works without any.
   */
  async withServices<T>(use: (app: INestApplicationContext) => Promise<T>): Promise<T> {
    // Audit events of a command have no client behind them, only an operator at a shell.
    return withAuditContext({ via: 'cli', clientId: null, organizationId: null }, () => this.startAndUse(use));
  }

  private async startAndUse<T>(use: (app: INestApplicationContext) => Promise<T>): Promise<T> {
    const config = this.config();
    const app = await NestFactory.createApplicationContext(CliModule.register(config), {
      logger: new CliLogger(this.io, config.logging.level),
      // Nest's default is process.abort() on a failed start-up: a core dump instead of a message.
      abortOnError: false,
    });
    try {
      return await use(app);
    } finally {
      await app.close();
    }
  }
}

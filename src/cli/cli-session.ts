import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { withAuditContext } from '../audit/audit-context.js';
import { AppConfig } from '../config/app-config.js';
import { CliLogger } from './cli-logger.js';
import { CliModule } from './cli.module.js';
import { type CliIo, Output } from './output.js';

/** What every command needs: where to print, and the application's services on demand. */
export class CliSession {
  constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly io: CliIo,
    private readonly wantsJson: () => boolean,
  ) {}

  output(): Output {
    return new Output(this.io, this.wantsJson());
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
    const config = AppConfig.fromEnvironment(this.env);
    const app = await NestFactory.createApplicationContext(CliModule.register(config), {
      logger: new CliLogger(this.io),
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

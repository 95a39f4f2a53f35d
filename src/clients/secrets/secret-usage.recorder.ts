import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { ClientSecretsRepository } from './client-secrets.repository.js';

/** How long uses gather in memory before one batched write. */
export const SECRET_USAGE_FLUSH_MS = 30_000;
/**
 * How precise last_used_at is: a secret whose stored use is more recent than
 * this is not written again, so a busy secret costs one write a minute at most,
 * whatever the number of replicas.
 */
export const SECRET_USAGE_GRANULARITY_MS = 60_000;

/**
 * Records when each client secret was last used, without a database write per
 * request: the token endpoint must not write on its hot path. The latest use
 * of each secret waits in memory and is flushed in one UPDATE, half a minute
 * after the first use since the last flush, and when the application shuts down.
 */
@Injectable()
export class SecretUsageRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('SecretUsage');
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly secrets: ClientSecretsRepository,
    private readonly clock: Clock,
  ) {}

  recordUse(secretId: string): void {
    this.pending.set(secretId, this.clock.now());
    // Started on the first use only, so a process that authenticates nobody (the CLI) holds no timer.
    this.timer ??= setTimeout(() => void this.flush(), SECRET_USAGE_FLUSH_MS).unref();
  }

  /** Writes the uses gathered so far; concurrent calls run one after the other. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const uses = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.write(uses));
    return this.flushing;
  }

  /** Before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(uses: ReadonlyMap<string, Date>): Promise<void> {
    if (uses.size === 0) return;
    const unlessUsedSince = new Date(this.clock.now().getTime() - SECRET_USAGE_GRANULARITY_MS);
    try {
      await this.secrets.recordLastUses(uses, unlessUsedSince);
    } catch (error) {
      // Usage is informational: losing one batch must not fail a request or the shutdown.
      this.logger.warn(`Could not record client secret usage: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

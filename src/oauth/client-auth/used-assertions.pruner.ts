import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../../common/clock.js';
import { UsedAssertionsRepository } from './used-assertions.repository.js';

const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Deletes the jti rows of expired client assertions. Every replica may run it:
 * the delete is idempotent, so there is nothing to claim.
 */
@Injectable()
export class UsedAssertionsPruner {
  private readonly logger = new Logger(UsedAssertionsPruner.name);

  constructor(
    private readonly used: UsedAssertionsRepository,
    private readonly clock: Clock,
  ) {}

  @Interval(PRUNE_INTERVAL_MS)
  async prune(): Promise<void> {
    try {
      await this.used.deleteExpired(this.clock.now());
    } catch (error) {
      // The next pass tries again; an unreachable database must not become an unhandled rejection.
      this.logger.warn(`Pruning used client assertions failed: ${(error as Error).message}`);
    }
  }
}

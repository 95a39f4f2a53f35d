import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../common/clock.js';
import type { SigningKeyEntity } from './signing-key.entity.js';
import { SigningKeysService } from './signing-keys.service.js';

const INTERVAL_NAME = 'signing-key-rotation';
/** How often each replica checks the active key's age; a rotation is due at most this late. */
export const KEY_ROTATION_CHECK_MS = 60_000;

/**
 * Rotates the signing key every SIGNING_KEY_ROTATION_SECONDS (0: never). Thin
 * on purpose: every replica checks the age of the active key in the database,
 * and SigningKeysService lets exactly one of them replace it. Server only (every
 * role): it is provided by SigningKeysServerModule, which the CLI does not load.
 */
@Injectable()
export class KeyRotationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KeyRotation');
  private ticking: Promise<SigningKeyEntity | null> | undefined;
  private stopped = false;

  constructor(
    private readonly keys: SigningKeysService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.security.signingKeyRotationSeconds <= 0) return;
    this.registry.addInterval(
      INTERVAL_NAME,
      setInterval(() => void this.tick(), KEY_ROTATION_CHECK_MS),
    );
  }

  /** One check; the new key if this process rotated, null otherwise. Concurrent calls share it. */
  tick(): Promise<SigningKeyEntity | null> {
    const maxAge = this.config.security.signingKeyRotationSeconds;
    if (this.stopped || maxAge <= 0) return Promise.resolve(null);
    this.ticking ??= this.keys
      .rotateIfOlderThan(maxAge, this.clock.now())
      .then((key) => {
        if (key) this.logger.log(`Rotated the signing key on schedule: new tokens are signed with ${key.kid}.`);
        return key;
      })
      .catch((error: unknown) => {
        this.logger.error(`Scheduled signing-key rotation failed: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      })
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
  }
}

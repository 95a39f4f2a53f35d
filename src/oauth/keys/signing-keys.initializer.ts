import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { StartupLock } from '../../database/startup-lock.js';
import { SigningKeysService } from './signing-keys.service.js';

/**
 * Server start-up only: make sure a key of the configured algorithm signs. The
 * CLI leaves keys alone unless told to. Replicas starting together check one at
 * a time (StartupLock): the first makes the key, the others find it.
 */
@Injectable()
export class SigningKeysInitializer implements OnApplicationBootstrap {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly startupLock: StartupLock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.startupLock.run('signing-key', () => this.keys.ensureSigningKey());
  }
}

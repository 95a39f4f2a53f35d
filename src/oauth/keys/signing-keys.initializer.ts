import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SigningKeysService } from './signing-keys.service.js';

/** Server start-up only: make sure a key of the configured algorithm signs. The CLI leaves keys alone unless told to. */
@Injectable()
export class SigningKeysInitializer implements OnApplicationBootstrap {
  constructor(private readonly keys: SigningKeysService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.keys.ensureSigningKey();
  }
}

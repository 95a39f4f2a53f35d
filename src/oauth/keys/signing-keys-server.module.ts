import { Module } from '@nestjs/common';
import { KeyRotationScheduler } from './key-rotation.scheduler.js';
import { SigningKeysInitializer } from './signing-keys.initializer.js';
import { SigningKeysModule } from './signing-keys.module.js';

/**
 * What every server process does with the signing keys, whatever its role: a
 * key of the configured algorithm at start-up, and the rotation schedule. Both
 * are safe on any number of replicas (exactly one of them writes). Not the
 * CLI's: it touches keys only through `orgsync keys rotate`.
 */
@Module({
  imports: [SigningKeysModule],
  providers: [SigningKeysInitializer, KeyRotationScheduler],
})
export class SigningKeysServerModule {}

import { Module } from '@nestjs/common';
import { AdminSigningKeysController } from './admin-signing-keys.controller.js';
import { SigningKeysModule } from './signing-keys.module.js';

/**
 * /admin/signing-keys: loaded where the process serves the APIs (ROLE api or
 * both). Apart from SigningKeysModule, which the bearer guard, the health
 * probes, the metrics and the CLI import, so that none of them brings the route along.
 */
@Module({
  imports: [SigningKeysModule],
  controllers: [AdminSigningKeysController],
})
export class SigningKeysApiModule {}

import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SigningKeysModule } from '../oauth/keys/signing-keys.module.js';
import { HealthController } from './health.controller.js';
import { ReadinessChecks } from './readiness.checks.js';
import { ShutdownState } from './shutdown-state.js';

/** /health/live and /health/ready, and the shutdown flag readiness reports. The HTTP server only: the CLI has no probes. */
@Module({
  // Terminus's own logger would print every failed probe (every few seconds while not ready) as an error.
  imports: [TerminusModule.forRoot({ logger: false }), SigningKeysModule],
  controllers: [HealthController],
  providers: [ReadinessChecks, ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}

import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenVerificationModule } from '../auth/access-token-verification.module.js';
import type { AppConfig } from '../config/app-config.js';
import { SigningKeysModule } from '../oauth/keys/signing-keys.module.js';
import { DatabasePoolGauge } from './database-pool.gauge.js';
import { HttpMetrics } from './http-metrics.js';
import { PublicMetricsController, ScopedMetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics-registry.js';
import { MetricsServer } from './metrics-server.js';
import { SigningKeysGauge } from './signing-keys.gauge.js';
import { SyncMetrics } from './sync-metrics.js';
import { TokenMetrics } from './token-metrics.js';

/**
 * Prometheus metrics (server only; the CLI does not load it). Global, so the
 * token endpoint and the sync runner record into it without importing it.
 * Where /metrics is served follows METRICS_ACCESS and METRICS_PORT: a scoped
 * or public route on the main port, a listener of its own, or nowhere.
 */
@Module({})
export class MetricsModule {
  static register(config: AppConfig): DynamicModule {
    const { access, port } = config.metrics;
    const onMainPort = access !== 'off' && port === undefined;
    return {
      module: MetricsModule,
      global: true,
      imports: [SigningKeysModule, AccessTokenVerificationModule],
      controllers: onMainPort ? [access === 'public' ? PublicMetricsController : ScopedMetricsController] : [],
      providers: [
        MetricsRegistry,
        HttpMetrics,
        TokenMetrics,
        SyncMetrics,
        SigningKeysGauge,
        DatabasePoolGauge,
        ...(access !== 'off' && port !== undefined ? [MetricsServer] : []),
      ],
      exports: [HttpMetrics, TokenMetrics, SyncMetrics],
    };
  }
}

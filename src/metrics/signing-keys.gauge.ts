import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { SigningKeysService } from '../oauth/keys/signing-keys.service.js';
import { MetricsRegistry } from './metrics-registry.js';

/**
 * Published signing keys by status, read at scrape time from the key set the
 * token endpoint already caches (one second), so a scrape costs at most the
 * query a token request would have made. No active key (or a database that
 * cannot be read) shows as zero active keys, which is what to alert on.
 */
@Injectable()
export class SigningKeysGauge {
  constructor(metrics: MetricsRegistry, keys: SigningKeysService) {
    new Gauge({
      name: 'orgsync_signing_keys',
      help: 'Published signing keys by status: the one active key, and retired keys still published for tokens they signed.',
      labelNames: ['status'],
      registers: [metrics.registry],
      async collect() {
        const published = await keys.jwks().then(
          (jwks) => jwks.keys.length,
          () => 0,
        );
        this.set({ status: 'active' }, published > 0 ? 1 : 0);
        this.set({ status: 'retired' }, Math.max(0, published - 1));
      },
    });
  }
}

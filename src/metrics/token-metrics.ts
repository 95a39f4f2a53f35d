import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { type AuthenticatedClient, clientLabels, refusalReasonLabel } from './metric-labels.js';
import { MetricsRegistry } from './metrics-registry.js';

/** Outcomes of the token endpoint, by client and organization (authenticated clients only) and by refusal reason. */
@Injectable()
export class TokenMetrics {
  private readonly issuedTotal: Counter<'client_id' | 'organization_id'>;
  private readonly refusedTotal: Counter<'reason' | 'client_id' | 'organization_id'>;

  constructor(metrics: MetricsRegistry) {
    this.issuedTotal = new Counter({
      name: 'orgsync_tokens_issued_total',
      help: 'Access tokens issued, by client and organization.',
      labelNames: ['client_id', 'organization_id'],
      registers: [metrics.registry],
    });
    this.refusedTotal = new Counter({
      name: 'orgsync_tokens_refused_total',
      help: 'Token requests refused, by OAuth error code, and by client and organization when the client had authenticated (unknown otherwise).',
      labelNames: ['reason', 'client_id', 'organization_id'],
      registers: [metrics.registry],
    });
  }

  issued(client: AuthenticatedClient): void {
    this.issuedTotal.inc(clientLabels(client));
  }

  /** `client` only once it has authenticated: a client ID that was merely claimed never becomes a label. */
  refused(reason: string, client: AuthenticatedClient | undefined): void {
    this.refusedTotal.inc({ reason: refusalReasonLabel(reason), ...clientLabels(client) });
  }
}

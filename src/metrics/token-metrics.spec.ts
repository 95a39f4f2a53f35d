import { MetricsRegistry } from './metrics-registry.js';
import { TokenMetrics } from './token-metrics.js';

describe('TokenMetrics', () => {
  let registry: MetricsRegistry;
  let metrics: TokenMetrics;

  beforeEach(() => {
    registry = new MetricsRegistry();
    metrics = new TokenMetrics(registry);
  });

  const scrape = () => registry.registry.metrics();

  it('counts issued tokens by client and organization', async () => {
    metrics.issued({ clientId: 'billing-sync', organizationId: 'org-1' });
    metrics.issued({ clientId: 'billing-sync', organizationId: 'org-1' });
    expect(await scrape()).toContain('orgsync_tokens_issued_total{client_id="billing-sync",organization_id="org-1"} 2');
  });

  it('counts refusals of unauthenticated requests under unknown, by reason', async () => {
    metrics.refused('invalid_client', undefined);
    metrics.refused('not-an-oauth-code', undefined);
    const text = await scrape();
    expect(text).toContain('orgsync_tokens_refused_total{reason="invalid_client",client_id="unknown",organization_id="unknown"} 1');
    expect(text).toContain('orgsync_tokens_refused_total{reason="server_error",client_id="unknown",organization_id="unknown"} 1');
    expect(text).not.toContain('not-an-oauth-code');
  });

  it('keeps two applications in one process apart', async () => {
    const other = new MetricsRegistry();
    new TokenMetrics(other).issued({ clientId: 'elsewhere', organizationId: 'org-2' });
    metrics.issued({ clientId: 'here', organizationId: 'org-1' });
    expect(await scrape()).not.toContain('elsewhere');
    expect(await other.registry.metrics()).not.toContain('"here"');
  });
});

import type { SyncRunStats } from '../sync/runs/sync-run.entity.js';
import { MetricsRegistry } from './metrics-registry.js';
import { SyncMetrics } from './sync-metrics.js';

function stats(members: Partial<SyncRunStats['members']>, groups: Partial<SyncRunStats['groups']> = {}): SyncRunStats {
  const empty = { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 };
  return { members: { ...empty, ...members }, groups: { ...empty, ...groups } };
}

describe('SyncMetrics', () => {
  let registry: MetricsRegistry;
  let metrics: SyncMetrics;
  const started = new Date('2030-01-01T00:00:00Z');
  const finished = new Date('2030-01-01T00:00:02.500Z');

  beforeEach(() => {
    registry = new MetricsRegistry();
    metrics = new SyncMetrics(registry);
  });

  it('counts a successful run, what it wrote, its duration and when it succeeded', async () => {
    metrics.runFinished('conn-1', 'succeeded', stats({ created: 3, updated: 1, unchanged: 7 }, { deleted: 2 }), started, finished);
    const text = await registry.registry.metrics();
    expect(text).toContain('orgsync_sync_runs_total{connection_id="conn-1",outcome="succeeded"} 1');
    expect(text).toContain('orgsync_sync_records_written_total{connection_id="conn-1",stream="members",change="created"} 3');
    expect(text).toContain('orgsync_sync_records_written_total{connection_id="conn-1",stream="members",change="updated"} 1');
    expect(text).toContain('orgsync_sync_records_written_total{connection_id="conn-1",stream="groups",change="deleted"} 2');
    expect(text).not.toContain('change="unchanged"');
    expect(text).toContain('orgsync_sync_run_duration_seconds_sum{connection_id="conn-1"} 2.5');
    expect(text).toContain(`orgsync_sync_last_success_timestamp_seconds{connection_id="conn-1"} ${finished.getTime() / 1000}`);
  });

  it('counts a failed run and what it wrote before failing, and leaves the last success alone', async () => {
    metrics.runFinished('conn-1', 'failed', stats({ created: 2 }), started, finished);
    const text = await registry.registry.metrics();
    expect(text).toContain('orgsync_sync_runs_total{connection_id="conn-1",outcome="failed"} 1');
    expect(text).toContain('orgsync_sync_records_written_total{connection_id="conn-1",stream="members",change="created"} 2');
    expect(text).not.toMatch(/orgsync_sync_last_success_timestamp_seconds\{/);
  });
});

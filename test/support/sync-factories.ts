import { DataSource } from 'typeorm';
import type { ScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import { v7 as uuidv7 } from 'uuid';
import { emptyStats, SyncRunEntity } from '../../src/sync/runs/sync-run.entity.js';
import { createClient, obtainToken } from './factories.js';
import type { TestApp } from './test-app.js';

/** A placeholder, not a real secret; tests search every response for it. */
export const UPSTREAM_SECRET = 'upstream-secret-3f9a1c7e5b2d';

export interface SyncConnectionBody {
  id: string;
  organization_id: string;
  name: string;
  base_url: string;
  watermark: string | null;
  [field: string]: unknown;
}

/** A valid body for POST /admin/organizations/:id/sync-connections, required fields only unless overridden. */
export function syncConnectionInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Workday via SCIM',
    base_url: 'https://scim.example.com/scim/v2',
    token_url: 'https://login.example.com/oauth2/token',
    client_id: 'orgsync-worker',
    client_secret: UPSTREAM_SECRET,
    ...overrides,
  };
}

/** The fields of a connection to a running example SCIM upstream (examples/scim-upstream). */
export function upstreamConnectionInput(upstream: Pick<ScimUpstream, 'baseUrl' | 'tokenUrl' | 'clientId' | 'clientSecret'>) {
  return { base_url: upstream.baseUrl, token_url: upstream.tokenUrl, client_id: upstream.clientId, client_secret: upstream.clientSecret };
}

export async function createSyncConnection(
  t: TestApp,
  adminToken: string,
  organizationId: string,
  overrides: Record<string, unknown> = {},
): Promise<SyncConnectionBody> {
  const response = await t
    .http()
    .post(`/admin/organizations/${organizationId}/sync-connections`)
    .auth(adminToken, { type: 'bearer' })
    .send(syncConnectionInput(overrides));
  if (response.status !== 201) throw new Error(`create sync connection failed: ${response.status} ${response.text}`);
  return response.body as SyncConnectionBody;
}

/**
 * Inserts a finished run straight into the database, as the sync worker
 * would have written it; ids are UUIDv7, so later calls are newer runs.
 */
export async function insertSyncRun(
  dataSource: DataSource,
  connection: { id: string; organization_id: string },
  overrides: Partial<SyncRunEntity> = {},
): Promise<SyncRunEntity> {
  const stats = emptyStats();
  stats.members = { fetched: 3, created: 1, updated: 1, deleted: 0, unchanged: 1 };
  const queuedAt = new Date(Date.now() - 60_000);
  const run = Object.assign(new SyncRunEntity(), {
    id: uuidv7(),
    connectionId: connection.id,
    organizationId: connection.organization_id,
    trigger: 'schedule' as const,
    status: 'succeeded' as const,
    mode: 'full' as const,
    stats: JSON.stringify(stats),
    pages: 2,
    error: null,
    queuedAt,
    startedAt: new Date(queuedAt.getTime() + 1_000),
    finishedAt: new Date(queuedAt.getTime() + 5_000),
    ...overrides,
  });
  await dataSource.getRepository(SyncRunEntity).insert(run);
  return run;
}

/** A token of a client of the organization with `sync:read` (and nothing else). */
export async function syncReadToken(t: TestApp, adminToken: string, organizationId: string, scope = 'sync:read'): Promise<string> {
  const client = await createClient(t, adminToken, organizationId, { scope: 'org:read sync:read' });
  return obtainToken(t, client.client_id, client.client_secret, scope);
}

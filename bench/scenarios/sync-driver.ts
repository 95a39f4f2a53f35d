import { call } from '../../examples/demo/http.js';
import type { ScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';

/** Where a sync connection reaches its upstream, and as whom. */
export type UpstreamEndpoint = Pick<ScimUpstream, 'baseUrl' | 'tokenUrl' | 'clientId' | 'clientSecret'>;

/** A sync run as GET /admin/sync-runs/:id shows it. */
export interface SyncRunState {
  readonly id: string;
  readonly status: string;
  readonly mode: string | null;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly pages: number;
  readonly error: string | null;
  readonly stats: Record<'members' | 'groups', Record<string, number>>;
}

/** An organization with a sync connection to `upstream`, made through the admin API. */
export async function createSyncConnection(
  url: string,
  admin: string,
  upstream: UpstreamEndpoint,
  intervalSeconds: number,
): Promise<string> {
  const organization = (await call<{ id: string }>('POST', `${url}/admin/organizations`, { bearer: admin, json: { name: 'Bench sync' } }))
    .body;
  const connection = (
    await call<{ id: string }>('POST', `${url}/admin/organizations/${organization.id}/sync-connections`, {
      bearer: admin,
      json: {
        name: 'Bench upstream',
        base_url: upstream.baseUrl,
        token_url: upstream.tokenUrl,
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        interval_seconds: intervalSeconds,
      },
    })
  ).body;
  return connection.id;
}

/**
 * The connection's first run, once it has succeeded or failed. A new
 * connection is due at once, so the scheduler starts it by itself; asking for
 * a manual run as well would race it, and the manual run would then find the
 * work done and run incrementally.
 */
export async function firstSyncRun(url: string, admin: string, connectionId: string): Promise<SyncRunState> {
  return finished(connectionId, async () => (await listSyncRuns(url, admin, connectionId)).at(-1));
}

/** Queues a manual run and waits until it has succeeded or failed. */
export async function runSyncOnce(url: string, admin: string, connectionId: string): Promise<SyncRunState> {
  const queued = (await call<{ id: string }>('POST', `${url}/admin/sync-connections/${connectionId}/runs`, { bearer: admin })).body;
  return finished(queued.id, async () => (await call<SyncRunState>('GET', `${url}/admin/sync-runs/${queued.id}`, { bearer: admin })).body);
}

/** Polls `read` until the run has ended, for half an hour at most. */
async function finished(name: string, read: () => Promise<SyncRunState | undefined>): Promise<SyncRunState> {
  for (const deadline = Date.now() + 30 * 60_000; Date.now() < deadline;) {
    const state = await read();
    if (state?.status === 'succeeded' || state?.status === 'failed') return state;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The sync run of ${name} did not finish within 30 minutes.`);
}

/** The connection's runs, newest first (the first page is plenty for a soak's dozen). */
export async function listSyncRuns(url: string, admin: string, connectionId: string): Promise<SyncRunState[]> {
  return (await call<{ data: SyncRunState[] }>('GET', `${url}/admin/sync-connections/${connectionId}/runs?limit=100`, { bearer: admin }))
    .body.data;
}

/** Wall time of a finished run, from the server's own timestamps. */
export function runSeconds(state: SyncRunState): number {
  return (Date.parse(state.finished_at!) - Date.parse(state.started_at!)) / 1000;
}

import { measurePaired, type PairedLoadOptions } from '../load/paired-run.js';
import type { LoadRow } from '../results.js';
import { checkedTokenRequest, orgsyncLoadRow, type OrgsyncSession, TOKEN_ROW_TITLE } from './orgsync-rows.js';
import { oidcProviderLoadRow, startOidcProvider } from './reference-rows.js';

/**
 * orgsync's token row and node-oidc-provider's, measured in alternating
 * slices (paired-run.ts) with both servers running side by side, so the
 * "token endpoint >= 2x oidc-provider" ratio compares two servers that saw
 * the same minute of the machine. orgsync's slice goes first in the first
 * round. Returns the oidc-provider row, then the token row.
 */
export async function pairedTokenRows(session: OrgsyncSession, dir: string, load: PairedLoadOptions): Promise<LoadRow[]> {
  const oidc = await startOidcProvider(dir, `oidc-provider-${session.database}.log`);
  try {
    const request = await checkedTokenRequest(session);
    const [token, reference] = await measurePaired(
      [
        { request, pid: session.orgsync.pid! },
        { request: oidc.request, pid: oidc.server.pid },
      ],
      load,
    );
    return [
      oidcProviderLoadRow(reference.pooled, { database: session.database, slices: reference.slices }),
      { ...orgsyncLoadRow(session, 'token', TOKEN_ROW_TITLE, token.pooled), slices: token.slices },
    ];
  } finally {
    await oidc.server.stop();
  }
}

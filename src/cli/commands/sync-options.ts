import type { Type } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { SYNC_LIMITS } from '../../sync/connections/dto/sync-connection.docs.js';
import { SYNC_CONNECTION_KINDS, UPSTREAM_AUTH_METHODS } from '../../sync/connections/sync-connection.entity.js';
import { validated } from '../cli-input.js';

const { intervalSeconds, fullSyncEvery, maxDeletePercent } = SYNC_LIMITS;

/** Option descriptions shared by `sync connections create` and `update`. */
export const SYNC_OPTION_HELP = {
  name: 'a name for people, 1 to 200 characters',
  kind: `the upstream protocol: ${SYNC_CONNECTION_KINDS.join(' or ')}`,
  baseUrl: "the upstream's SCIM base URL (absolute http or https, no user name, password or fragment)",
  tokenUrl: "the upstream's OAuth token endpoint (absolute http or https)",
  clientId: "orgsync's client ID at the upstream",
  clientSecret: "orgsync's client secret at the upstream; stored encrypted and never shown again",
  authMethod: `how orgsync authenticates at the upstream token endpoint: ${UPSTREAM_AUTH_METHODS.join(' or ')}`,
  scope: 'space-delimited scopes to request from the upstream',
  resource: 'a resource indicator (RFC 8707) to send to the upstream token endpoint',
  interval: `seconds between scheduled runs, ${intervalSeconds.min} to ${intervalSeconds.max}`,
  fullSyncEvery: `make every Nth run a full listing (the only way deletions are seen), ${fullSyncEvery.min} to ${fullSyncEvery.max}`,
  maxDeletePercent: `stop a run that would delete more than this share of the records, ${maxDeletePercent.min} to ${maxDeletePercent.max}`,
};

/**
 * The flags of the fields the general CLI error printer does not know; it
 * already names --name, --scope, --auth-method, --limit and --cursor.
 */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  kind: '--kind',
  base_url: '--base-url',
  token_url: '--token-url',
  client_id: '--client-id',
  client_secret: '--client-secret',
  resource: '--resource',
  interval_seconds: '--interval',
  full_sync_every: '--full-sync-every',
  max_delete_percent: '--max-delete-percent',
  enabled: '--enabled/--disabled',
};

/** `validated`, with field errors naming the flag to change as well as the API field. */
export async function validatedSyncInput<T extends object>(dto: Type<T>, input: Record<string, unknown>): Promise<T> {
  try {
    return await validated(dto, input);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const fieldErrors = error.fieldErrors.map((e) => {
      const flag = FLAG_OF_FIELD[e.field];
      return flag === undefined ? e : { ...e, field: flag === `--${e.field}` ? flag : `${flag} (${e.field})` };
    });
    throw new DomainError(error.code, error.message, fieldErrors, error.extensions);
  }
}

import { DomainError, DomainErrorCode } from '../../common/errors/domain-error.js';

export const API_SOURCE = 'api';

/**
 * Records a sync connection owns are kept by their system of record: a write
 * through the API would be overwritten at the next sync, so it is refused and
 * the problem names the connection.
 */
export function assertWritableThroughApi(record: { readonly source: string }, what: string): void {
  if (record.source === API_SOURCE) return;
  throw new DomainError(
    DomainErrorCode.OwnedBySync,
    `This ${what} is managed by sync connection ${record.source}; change it in the system of record.`,
    [],
    { sync_connection_id: record.source },
  );
}

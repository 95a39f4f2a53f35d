/** Where a page's records go: the connection's organization, the connection (their `source`), the run that sees them. */
export interface SyncTarget {
  readonly organizationId: string;
  readonly connectionId: string;
  readonly runId: string;
}

/** Index paging over a changing upstream can repeat a record; the last copy of a page wins. */
export function dedupe<T extends { externalId: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.externalId, item])).values()];
}

/** The page of a listing: the resources on it, how many match in all, and whether any come after it. */
export interface ListSlice<T> {
  readonly items: T[];
  readonly total: number;
  readonly hasMore: boolean;
}

/**
 * Records kept in one array ordered by id (ordinal string comparison), so a
 * listing is a slice or a binary search, never a sort per request. Inserting
 * or removing one record shifts the array (a memmove); bulk loads sort once.
 */
export class SortedCollection<T extends { readonly id: string }> {
  private items: T[] = [];
  private readonly byId = new Map<string, T>();

  get size(): number {
    return this.items.length;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  all(): readonly T[] {
    return this.items;
  }

  insert(record: T): void {
    if (this.byId.has(record.id)) throw new Error(`A record with id ${record.id} already exists.`);
    this.items.splice(this.firstIndexAfter(record.id, true), 0, record);
    this.byId.set(record.id, record);
  }

  /** Adds many records at once with a single sort. */
  insertMany(records: readonly T[]): void {
    for (const record of records) {
      if (this.byId.has(record.id)) throw new Error(`A record with id ${record.id} already exists.`);
      this.byId.set(record.id, record);
    }
    this.items = this.items.concat(records).sort((a, b) => compareIds(a.id, b.id));
  }

  replace(record: T): void {
    const index = this.indexOf(record.id);
    this.items[index] = record;
    this.byId.set(record.id, record);
  }

  remove(id: string): T {
    const index = this.indexOf(id);
    const [removed] = this.items.splice(index, 1);
    this.byId.delete(id);
    return removed as T;
  }

  /** RFC 7644 section 3.4.2.4: index paging, `offset` 0-based, over the records `matches` accepts. */
  sliceAt(offset: number, count: number, matches?: (record: T) => boolean): ListSlice<T> {
    if (!matches) {
      return { items: this.items.slice(offset, offset + count), total: this.items.length, hasMore: offset + count < this.items.length };
    }
    const items: T[] = [];
    let total = 0;
    for (const record of this.items) {
      if (!matches(record)) continue;
      if (total >= offset && items.length < count) items.push(record);
      total += 1;
    }
    return { items, total, hasMore: offset + items.length < total };
  }

  /** Keyset paging for cursors: the records after `afterId` (from the start when null). */
  sliceAfter(afterId: string | null, count: number, matches?: (record: T) => boolean): ListSlice<T> {
    const start = afterId === null ? 0 : this.firstIndexAfter(afterId, false);
    if (!matches) {
      return { items: this.items.slice(start, start + count), total: this.items.length, hasMore: start + count < this.items.length };
    }
    const items: T[] = [];
    let total = 0;
    let hasMore = false;
    for (let index = 0; index < this.items.length; index += 1) {
      const record = this.items[index] as T;
      if (!matches(record)) continue;
      total += 1;
      if (index < start) continue;
      if (items.length < count) items.push(record);
      else hasMore = true;
    }
    return { items, total, hasMore };
  }

  private indexOf(id: string): number {
    const index = this.firstIndexAfter(id, true);
    if (this.items[index]?.id !== id) throw new Error(`No record with id ${id}.`);
    return index;
  }

  /** Binary search: the first index whose id is >= `id` (inclusive) or > `id` (exclusive). */
  private firstIndexAfter(id: string, inclusive: boolean): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const comparison = compareIds((this.items[middle] as T).id, id);
      if (comparison < 0 || (!inclusive && comparison === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Ordinal (UTF-16 code unit) order: stable across locales, the order every listing uses. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

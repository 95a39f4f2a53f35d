/** The list envelope of the organization APIs. */
export interface PageResponse<T> {
  data: T[];
  next_cursor: string | null;
}

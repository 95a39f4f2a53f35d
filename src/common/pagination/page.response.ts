import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** One page of a list endpoint, as sent: `{ data, next_cursor }`. */
export interface PageResponse<T> {
  data: T[];
  next_cursor: string | null;
}

const pageClasses = new Map<Type<unknown>, Type<PageResponse<unknown>>>();

/**
 * The OpenAPI schema of a page of `item`s, named after it (OrganizationResponse
 * gives OrganizationPage): `@ApiOkResponse({ type: PageOf(OrganizationResponse) })`.
 * One class per item type, so the schema is defined once.
 */
export function PageOf<T>(item: Type<T>): Type<PageResponse<T>> {
  const existing = pageClasses.get(item);
  if (existing) return existing as Type<PageResponse<T>>;
  class Page implements PageResponse<T> {
    @ApiProperty({ type: () => [item] })
    data!: T[];

    @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` to read the next page; null on the last page.' })
    next_cursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  pageClasses.set(item, Page);
  return Page;
}

import { ScimError } from './scim-error.js';

/** The one filter this provider understands: `meta.lastModified ge|gt "<RFC 3339 date-time>"`. */
export interface LastModifiedFilter {
  readonly operator: 'ge' | 'gt';
  /** Epoch milliseconds; sub-millisecond digits are rounded so the comparison stays exact. */
  readonly since: number;
  /** A canonical form, to bind cursors to the filter they were issued for. */
  readonly key: string;
  matches(record: { readonly lastModified: number }): boolean;
}

// RFC 7644 section 3.4.2.2: attribute names and operators are case-insensitive; the value is a JSON string.
const FILTER = /^\s*meta\.lastModified\s+(ge|gt)\s+"([^"\\]*)"\s*$/i;
// RFC 3339 section 5.6 date-time.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

export function parseLastModifiedFilter(filter: string): LastModifiedFilter {
  const match = FILTER.exec(filter);
  if (!match) {
    throw ScimError.badRequest('invalidFilter', 'Only the filter meta.lastModified ge "<RFC 3339 date-time>" (or gt) is supported.');
  }
  const operator = (match[1] as string).toLowerCase() as 'ge' | 'gt';
  const since = parseDateTime(match[2] as string, operator);
  return {
    operator,
    since,
    key: `${operator}:${since}`,
    matches: operator === 'ge' ? (record) => record.lastModified >= since : (record) => record.lastModified > since,
  };
}

function parseDateTime(value: string, operator: 'ge' | 'gt'): number {
  const match = DATE_TIME.exec(value);
  const whole = match ? Date.parse(`${match[1]}${match[3]}`) : Number.NaN;
  if (!match || Number.isNaN(whole)) {
    throw ScimError.badRequest('invalidFilter', `"${value}" is not an RFC 3339 date-time.`);
  }
  // Records are stamped in whole milliseconds: "ge 10.0005 ms" selects from 11 ms, "gt 10.0005 ms" from 11 ms too.
  const digits = match[2] ?? '';
  const millis = Number(digits.slice(0, 3).padEnd(3, '0'));
  const belowMillis = /[1-9]/.test(digits.slice(3));
  return whole + millis + (operator === 'ge' && belowMillis ? 1 : 0);
}

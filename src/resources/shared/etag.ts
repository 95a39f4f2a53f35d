import { DomainError, DomainErrorCode } from '../../common/errors/domain-error.js';

/** A strong entity tag from the record's version (RFC 9110 section 8.8.3). */
export function etagOf(version: number): string {
  return `"v${version}"`;
}

/**
 * RFC 9110 section 13.1.1: If-Match holds when "*" is given or one listed tag
 * equals the current one by strong comparison (weak tags never match).
 * Without the header there is no precondition.
 */
export function assertIfMatch(header: string | undefined, version: number): void {
  if (header === undefined) return;
  const current = etagOf(version);
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*') || tags.includes(current)) return;
  throw new DomainError(
    DomainErrorCode.PreconditionFailed,
    `The record has changed: its current ETag is ${current}. Read it again and retry with that ETag.`,
  );
}

/** RFC 9110 section 13.1.2: If-None-Match uses weak comparison. */
export function ifNoneMatchHolds(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  const current = etagOf(version);
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === current);
}

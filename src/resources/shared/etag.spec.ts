import { DomainError } from '../../common/errors/domain-error.js';
import { assertIfMatch, etagOf, ifNoneMatchHolds } from './etag.js';

describe('entity tags', () => {
  it('quotes a strong tag per version', () => {
    expect(etagOf(3)).toBe('"v3"');
  });

  it.each([undefined, '"v3"', '*', '"v1", "v3"'])('lets If-Match %j through for version 3', (header) => {
    expect(() => assertIfMatch(header, 3)).not.toThrow();
  });

  it.each(['"v2"', 'W/"v3"', '"v3', ''])('refuses If-Match %j for version 3 with precondition_failed', (header) => {
    expect(() => assertIfMatch(header, 3)).toThrow(DomainError);
  });

  it('compares If-None-Match weakly', () => {
    expect(ifNoneMatchHolds('W/"v3"', 3)).toBe(true);
    expect(ifNoneMatchHolds('"v2"', 3)).toBe(false);
    expect(ifNoneMatchHolds(undefined, 3)).toBe(false);
  });
});

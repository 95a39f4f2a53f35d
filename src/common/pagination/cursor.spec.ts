import { DomainError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';

describe('cursor pagination', () => {
  it('round-trips a position through an opaque cursor', () => {
    expect(decodeCursor(encodeCursor('0193-abc'))).toBe('0193-abc');
  });

  it.each(['not-base64!', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[').toString('base64url')])(
    'refuses the forged cursor %j with a validation error',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(DomainError);
    },
  );

  it('returns a next cursor only when there are more rows than the limit', () => {
    expect(toPage(['a', 'b', 'c'], 2, (row) => row)).toEqual({ data: ['a', 'b'], nextCursor: encodeCursor('b') });
    expect(toPage(['a', 'b'], 2, (row) => row)).toEqual({ data: ['a', 'b'], nextCursor: null });
  });
});

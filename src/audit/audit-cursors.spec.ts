import { generateRootKey, SecretsKeyring } from '../common/crypto/secrets-keyring.js';
import { DomainError } from '../common/errors/domain-error.js';
import { AuditCursors } from './audit-cursors.js';

const ID = '0195e1a2-0000-7000-8000-000000000001';

describe('AuditCursors', () => {
  const cursors = new AuditCursors(new SecretsKeyring(generateRootKey()));

  it('round-trips the last ID of a page under the same filters', () => {
    const filter = { action: 'token.issued', since: new Date('2026-01-01T00:00:00Z') };
    expect(cursors.decode({ ...filter }, cursors.encode(filter, ID))).toBe(ID);
  });

  it('refuses a cursor used with other filters', () => {
    const cursor = cursors.encode({ action: 'token.issued' }, ID);
    expect(() => cursors.decode({ action: 'token.refused' }, cursor)).toThrow(DomainError);
    expect(() => cursors.decode({}, cursor)).toThrow(DomainError);
  });

  it.each([
    [
      'an edited position',
      (c: string) => `${Buffer.from('0195e1a2-0000-7000-8000-000000000002').toString('base64url')}.${c.split('.')[1]}`,
    ],
    ['a forged MAC', (c: string) => `${c.split('.')[0]}.AAAA`],
    ['garbage', () => 'not-a-cursor'],
    ['an extra segment', (c: string) => `${c}.x`],
  ])('refuses %s', (_name, forge) => {
    expect(() => cursors.decode({}, forge(cursors.encode({}, ID)))).toThrow(DomainError);
  });

  it('refuses a cursor of another server key', () => {
    const other = new AuditCursors(new SecretsKeyring(generateRootKey()));
    expect(() => cursors.decode({}, other.encode({}, ID))).toThrow(DomainError);
  });
});

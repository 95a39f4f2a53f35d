import { SecretsKeyring, generateRootKey } from '../../common/crypto/secrets-keyring.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { type CursorScope, ResourceCursors } from './resource-cursors.js';

describe('ResourceCursors', () => {
  const cursors = new ResourceCursors(new SecretsKeyring(generateRootKey()));
  const scope: CursorScope = { organizationId: 'org-a', collection: 'members', filters: { active: true } };

  it('round-trips a position within its scope', () => {
    expect(cursors.decode(scope, cursors.encode(scope, 'id-42'))).toBe('id-42');
  });

  it.each([
    ['another organization', { ...scope, organizationId: 'org-b' }],
    ['another collection', { ...scope, collection: 'groups' }],
    ['other filters', { ...scope, filters: { active: false } }],
  ])('refuses a cursor replayed for %s', (_label, other) => {
    expect(() => cursors.decode(other, cursors.encode(scope, 'id-42'))).toThrow(DomainError);
  });

  it('refuses an edited position', () => {
    const [, mac] = cursors.encode(scope, 'id-42').split('.');
    expect(() => cursors.decode(scope, `${Buffer.from('id-43').toString('base64url')}.${mac}`)).toThrow(DomainError);
  });

  it.each(['', 'garbage', 'a.b.c', '.', 'aWQ.'])('refuses the malformed cursor %j', (cursor) => {
    expect(() => cursors.decode(scope, cursor)).toThrow(DomainError);
  });

  it('does not depend on the order filters were given in', () => {
    const a = cursors.encode({ ...scope, filters: { x: '1', y: '2' } }, 'id');
    expect(cursors.decode({ ...scope, filters: { y: '2', x: '1' } }, a)).toBe('id');
  });
});

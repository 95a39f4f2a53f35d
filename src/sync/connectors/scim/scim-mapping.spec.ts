import { toUpstreamGroup, toUpstreamUser } from './scim-mapping.js';

describe('SCIM mapping', () => {
  it('maps a core User with the enterprise extension onto member fields', () => {
    expect(
      toUpstreamUser({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: 'u1',
        userName: 'ada',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        displayName: 'Ada Lovelace',
        emails: [
          { value: 'work@example.com', type: 'work' },
          { value: 'ada@example.com', primary: true },
        ],
        active: false,
        title: 'Analyst',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Engines' },
        meta: { lastModified: '2026-01-02T03:04:05Z' },
      }),
    ).toEqual({
      externalId: 'u1',
      userName: 'ada',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      title: 'Analyst',
      department: 'Engines',
      active: false,
      lastModified: new Date('2026-01-02T03:04:05Z'),
    });
  });

  it('defaults active to true and leaves missing attributes empty', () => {
    expect(toUpstreamUser({ id: 'u2', userName: 'x' })).toMatchObject({ active: true, email: null, department: null, lastModified: null });
  });

  it('refuses a User without id or userName', () => {
    expect(() => toUpstreamUser({ userName: 'x' })).toThrow(/id/);
    expect(() => toUpstreamUser({ id: 'u3' })).toThrow(/userName/);
  });

  it('maps a Group with its user members', () => {
    expect(
      toUpstreamGroup({
        id: 'g1',
        displayName: 'Eng',
        members: [{ value: 'u1' }, { value: 'g9', type: 'Group' }, { value: 'u2', type: 'User' }],
      }),
    ).toMatchObject({ externalId: 'g1', displayName: 'Eng', memberExternalIds: ['u1', 'u2'] });
  });
});

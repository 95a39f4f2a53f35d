import { v7 as uuidv7 } from 'uuid';
import { MemberEntity } from '../../src/resources/members/member.entity.js';

/** A complete member row for inserting straight through TypeORM (a live, active API member with only a user name), with `fields` over it. */
export function memberRow(
  organizationId: string,
  fields: Partial<MemberEntity> & Pick<MemberEntity, 'userName'>,
  now = new Date(),
): MemberEntity {
  return Object.assign(new MemberEntity(), {
    id: uuidv7(),
    organizationId,
    externalId: null,
    email: null,
    emailNormalized: null,
    displayName: null,
    givenName: null,
    familyName: null,
    title: null,
    department: null,
    active: true,
    source: 'api',
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    ...fields,
  });
}

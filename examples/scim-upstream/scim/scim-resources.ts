import type { GroupRecord, UserRecord } from '../directory/records.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

export interface ScimMeta {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  location: string;
}

/** RFC 7643 section 4.1 User with the section 4.3 enterprise extension, as served. */
export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails?: { value: string; type: 'work'; primary: true }[];
  active: boolean;
  title?: string;
  [ENTERPRISE_USER_SCHEMA]?: { department: string };
  meta: ScimMeta;
}

/** RFC 7643 section 4.2 Group, as served. */
export interface ScimGroup {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members: { value: string; $ref: string; display?: string; type: 'User' }[];
  meta: ScimMeta;
}

/**
 * RFC 7643 section 2.5: unassigned attributes (null here) are left out of the
 * representation rather than sent as null.
 */
export function toScimUser(user: UserRecord, baseUrl: string): ScimUser {
  const formatted = [user.givenName, user.familyName].filter((part) => part !== null).join(' ');
  const name = {
    ...(user.givenName !== null && { givenName: user.givenName }),
    ...(user.familyName !== null && { familyName: user.familyName }),
    ...(formatted !== '' && { formatted }),
  };
  return {
    schemas: user.department === null ? [USER_SCHEMA] : [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    id: user.id,
    ...(user.externalId !== null && { externalId: user.externalId }),
    userName: user.userName,
    ...(formatted !== '' && { name }),
    ...(user.displayName !== null && { displayName: user.displayName }),
    ...(user.email !== null && { emails: [{ value: user.email, type: 'work' as const, primary: true as const }] }),
    active: user.active,
    ...(user.title !== null && { title: user.title }),
    ...(user.department !== null && { [ENTERPRISE_USER_SCHEMA]: { department: user.department } }),
    meta: meta('User', user, `${baseUrl}/Users/${user.id}`),
  };
}

export function toScimGroup(group: GroupRecord, baseUrl: string, displayNameOf: (userId: string) => string | undefined): ScimGroup {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId !== null && { externalId: group.externalId }),
    displayName: group.displayName,
    members: group.members.map((userId) => {
      const display = displayNameOf(userId);
      return { value: userId, $ref: `${baseUrl}/Users/${userId}`, ...(display !== undefined && { display }), type: 'User' as const };
    }),
    meta: meta('Group', group, `${baseUrl}/Groups/${group.id}`),
  };
}

function meta(resourceType: ScimMeta['resourceType'], record: { created: number; lastModified: number }, location: string): ScimMeta {
  return {
    resourceType,
    created: new Date(record.created).toISOString(),
    lastModified: new Date(record.lastModified).toISOString(),
    location,
  };
}

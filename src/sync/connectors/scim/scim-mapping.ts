import type { UpstreamGroup, UpstreamUser } from '../sync-connector.js';

const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Json = Record<string, unknown>;

/** A SCIM core User (RFC 7643 section 4.1) with the enterprise extension (section 4.3), as a member. */
export function toUpstreamUser(resource: unknown): UpstreamUser {
  const user = asObject(resource, 'a User resource');
  const id = requiredString(user.id, 'User id');
  const name = isObject(user.name) ? user.name : {};
  const enterprise = isObject(user[ENTERPRISE_USER]) ? user[ENTERPRISE_USER] : {};
  return {
    externalId: id,
    userName: clip(requiredString(user.userName, `userName of User ${id}`), 255),
    email: primaryEmail(user.emails),
    displayName: optionalString(user.displayName, 255),
    givenName: optionalString(name.givenName, 255),
    familyName: optionalString(name.familyName, 255),
    title: optionalString(user.title, 255),
    department: optionalString(enterprise.department, 255),
    active: user.active === undefined ? true : user.active === true,
    lastModified: lastModified(user),
  };
}

/** A SCIM Group (RFC 7643 section 4.2); members that are not users are ignored. */
export function toUpstreamGroup(resource: unknown): UpstreamGroup {
  const group = asObject(resource, 'a Group resource');
  const id = requiredString(group.id, 'Group id');
  const members = Array.isArray(group.members) ? group.members : [];
  return {
    externalId: id,
    displayName: clip(requiredString(group.displayName, `displayName of Group ${id}`), 255),
    memberExternalIds: members
      .filter((member): member is Json => isObject(member) && typeof member.value === 'string')
      .filter((member) => member.type === undefined || member.type === 'User')
      .map((member) => member.value as string),
    lastModified: lastModified(group),
  };
}

function primaryEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const values = emails.filter((email): email is Json => isObject(email) && typeof email.value === 'string');
  const chosen = values.find((email) => email.primary === true) ?? values[0];
  const value = chosen?.value as string | undefined;
  // Past RFC 5321's limit it cannot be an address we could store or use.
  return value !== undefined && value.length <= 254 ? value : null;
}

function lastModified(resource: Json): Date | null {
  const meta = isObject(resource.meta) ? resource.meta : {};
  if (typeof meta.lastModified !== 'string') return null;
  const at = new Date(meta.lastModified);
  return Number.isNaN(at.getTime()) ? null : at;
}

function asObject(value: unknown, what: string): Json {
  if (!isObject(value)) throw new Error(`The upstream sent something that is not ${what}.`);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`The upstream sent a resource without ${what}.`);
  return value;
}

function optionalString(value: unknown, max: number): string | null {
  return typeof value === 'string' && value !== '' ? clip(value, max) : null;
}

function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

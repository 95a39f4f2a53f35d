import type { MemberEntity } from '../member.entity.js';

export interface MemberResponse {
  id: string;
  external_id: string | null;
  user_name: string;
  email: string | null;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  title: string | null;
  department: string | null;
  active: boolean;
  source: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export function toMemberResponse(member: MemberEntity): MemberResponse {
  return {
    id: member.id,
    external_id: member.externalId,
    user_name: member.userName,
    email: member.email,
    display_name: member.displayName,
    given_name: member.givenName,
    family_name: member.familyName,
    title: member.title,
    department: member.department,
    active: member.active,
    source: member.source,
    created_at: member.createdAt.toISOString(),
    updated_at: member.updatedAt.toISOString(),
    deleted_at: member.deletedAt?.toISOString() ?? null,
  };
}

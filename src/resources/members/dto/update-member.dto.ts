import { IsBoolean, ValidateIf } from 'class-validator';
import type { MemberFields } from '../members.service.js';
import { EmailField, TextField } from './member-fields.js';

/** Left out: unchanged. */
const Omittable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);
/** Left out: unchanged; null: cleared. */
const Clearable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined && value !== null);

/** A partial update (JSON merge semantics, RFC 7396): optional fields may be set to null to clear them. */
export class UpdateMemberDto {
  @Omittable()
  @TextField('user_name')
  user_name?: string;

  @Clearable()
  @EmailField()
  email?: string | null;

  @Clearable()
  @TextField('external_id')
  external_id?: string | null;

  @Clearable()
  @TextField('display_name')
  display_name?: string | null;

  @Clearable()
  @TextField('given_name')
  given_name?: string | null;

  @Clearable()
  @TextField('family_name')
  family_name?: string | null;

  @Clearable()
  @TextField('title')
  title?: string | null;

  @Clearable()
  @TextField('department')
  department?: string | null;

  @Omittable()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export function toMemberChanges(dto: UpdateMemberDto): Partial<MemberFields> {
  const changes: Partial<MemberFields> = {
    userName: dto.user_name,
    email: dto.email,
    externalId: dto.external_id,
    displayName: dto.display_name,
    givenName: dto.given_name,
    familyName: dto.family_name,
    title: dto.title,
    department: dto.department,
    active: dto.active,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, ValidateIf } from 'class-validator';
import type { MemberFields } from '../members.service.js';
import { EmailField, TextField } from './member-fields.js';

/** Left out: unchanged. */
const Omittable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);
/** Left out: unchanged; null: cleared. */
const Clearable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined && value !== null);

/** A partial update (JSON merge semantics, RFC 7396): optional fields may be set to null to clear them. */
export class UpdateMemberDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255 })
  @Omittable()
  @TextField('user_name')
  user_name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'email', maxLength: 254, description: 'null clears it.' })
  @Clearable()
  @EmailField()
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 255, description: 'null clears it.' })
  @Clearable()
  @TextField('external_id')
  external_id?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 255, description: 'null clears it.' })
  @Clearable()
  @TextField('display_name')
  display_name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 255, description: 'null clears it.' })
  @Clearable()
  @TextField('given_name')
  given_name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 255, description: 'null clears it.' })
  @Clearable()
  @TextField('family_name')
  family_name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 255, description: 'null clears it.' })
  @Clearable()
  @TextField('title')
  title?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 255, description: 'null clears it.' })
  @Clearable()
  @TextField('department')
  department?: string | null;

  @ApiPropertyOptional()
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

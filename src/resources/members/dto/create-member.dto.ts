import { IsBoolean, IsOptional } from 'class-validator';
import type { MemberFields } from '../members.service.js';
import { EmailField, TextField } from './member-fields.js';

export class CreateMemberDto {
  @TextField('user_name')
  user_name!: string;

  @IsOptional()
  @EmailField()
  email?: string;

  @IsOptional()
  @TextField('external_id')
  external_id?: string;

  @IsOptional()
  @TextField('display_name')
  display_name?: string;

  @IsOptional()
  @TextField('given_name')
  given_name?: string;

  @IsOptional()
  @TextField('family_name')
  family_name?: string;

  @IsOptional()
  @TextField('title')
  title?: string;

  @IsOptional()
  @TextField('department')
  department?: string;

  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export function toMemberFields(dto: CreateMemberDto): MemberFields {
  return {
    userName: dto.user_name,
    email: dto.email ?? null,
    externalId: dto.external_id ?? null,
    displayName: dto.display_name ?? null,
    givenName: dto.given_name ?? null,
    familyName: dto.family_name ?? null,
    title: dto.title ?? null,
    department: dto.department ?? null,
    active: dto.active ?? true,
  };
}

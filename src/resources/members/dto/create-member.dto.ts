import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { MemberFields } from '../members.service.js';
import { EmailField, TextField } from './member-fields.js';

export class CreateMemberDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'ada' })
  @TextField('user_name')
  user_name!: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 254, description: 'Unique among the organization’s live members, ignoring case.' })
  @IsOptional()
  @EmailField()
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'hr-00042' })
  @IsOptional()
  @TextField('external_id')
  external_id?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Ada Lovelace' })
  @IsOptional()
  @TextField('display_name')
  display_name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Ada' })
  @IsOptional()
  @TextField('given_name')
  given_name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Lovelace' })
  @IsOptional()
  @TextField('family_name')
  family_name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Analyst' })
  @IsOptional()
  @TextField('title')
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Engines' })
  @IsOptional()
  @TextField('department')
  department?: string;

  @ApiPropertyOptional({ default: true })
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

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { TextField } from '../../members/dto/member-fields.js';
import type { GroupFields } from '../groups.service.js';
import { MemberIdsField } from './member-ids-field.js';

export class CreateGroupDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Engineering' })
  @TextField('display_name')
  display_name!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'hr-eng' })
  @IsOptional()
  @TextField('external_id')
  external_id?: string;

  @IsOptional()
  @MemberIdsField('The group’s members; none when left out.')
  member_ids?: string[];
}

export function toGroupFields(dto: CreateGroupDto): GroupFields {
  return {
    displayName: dto.display_name,
    externalId: dto.external_id ?? null,
    memberIds: dto.member_ids ?? [],
  };
}

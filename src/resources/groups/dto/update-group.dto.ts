import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { TextField } from '../../members/dto/member-fields.js';
import type { GroupFields } from '../groups.service.js';
import { MemberIdsField } from './member-ids-field.js';

/** Left out: unchanged. */
const Omittable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);
/** Left out: unchanged; null: cleared. */
const Clearable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined && value !== null);

/** A partial update (JSON merge semantics, RFC 7396); `member_ids` replaces the whole membership. */
export class UpdateGroupDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255 })
  @Omittable()
  @TextField('display_name')
  display_name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 255, description: 'null clears it.' })
  @Clearable()
  @TextField('external_id')
  external_id?: string | null;

  @Omittable()
  @MemberIdsField('Replaces the whole membership; [] empties the group. Left out: unchanged.')
  member_ids?: string[];
}

export function toGroupChanges(dto: UpdateGroupDto): Partial<GroupFields> {
  const changes: Partial<GroupFields> = {
    displayName: dto.display_name,
    externalId: dto.external_id,
    memberIds: dto.member_ids,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';

export const MAX_GROUP_MEMBERS = 1000;

/**
 * A group's whole membership: at most 1000 member IDs, no repeats. IDs are
 * lower-cased first, as stored, so "A…" and "a…" are the same member and count
 * as a repeat.
 */
export function MemberIdsField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: [String],
      format: 'uuid',
      maxItems: MAX_GROUP_MEMBERS,
      uniqueItems: true,
      required: false,
      description: `${description} Each ID must be a live member of the organization.`,
    }),
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id)) : value,
    ),
    IsArray({ message: 'member_ids must be an array of member IDs' }),
    ArrayMaxSize(MAX_GROUP_MEMBERS, { message: `member_ids must list at most ${MAX_GROUP_MEMBERS} members` }),
    IsUUID('all', { each: true, message: 'member_ids must contain member IDs (UUIDs) only' }),
    ArrayUnique({ message: 'member_ids must not list a member twice' }),
  );
}

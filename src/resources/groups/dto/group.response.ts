import { ApiProperty } from '@nestjs/swagger';
import type { GroupView } from '../groups.service.js';

export class GroupResponse {
  @ApiProperty({ format: 'uuid', example: '0193a6f2-7c1e-7b3a-9d4e-5f6a7b8c9d0e' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The ID in the system of record.', example: 'hr-eng' })
  external_id!: string | null;

  @ApiProperty({ example: 'Engineering' })
  display_name!: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The IDs of the group’s live members, in id order. Empty on tombstones.',
    example: ['0193a6f2-7c1e-7b3a-9d4e-5f6a7b8c9d0f'],
  })
  member_ids!: string[];

  @ApiProperty({
    description: '"api", or the ID of the sync connection that owns the record (read-only through this API).',
    example: 'api',
  })
  source!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', description: 'Also changes when the membership changes, a member deletion included.' })
  updated_at!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Set on tombstones of deleted groups.' })
  deleted_at!: string | null;
}

export function toGroupResponse({ group, memberIds }: GroupView): GroupResponse {
  return {
    id: group.id,
    external_id: group.externalId,
    display_name: group.displayName,
    member_ids: [...memberIds],
    source: group.source,
    created_at: group.createdAt.toISOString(),
    updated_at: group.updatedAt.toISOString(),
    deleted_at: group.deletedAt?.toISOString() ?? null,
  };
}

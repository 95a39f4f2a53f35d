import { ApiProperty } from '@nestjs/swagger';
import type { MemberEntity } from '../member.entity.js';

export class MemberResponse {
  @ApiProperty({ format: 'uuid', example: '0193a6f2-7c1e-7b3a-9d4e-5f6a7b8c9d0e' })
  id!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The ID in the system of record (for synced members, the SCIM id).',
    example: 'hr-00042',
  })
  external_id!: string | null;

  @ApiProperty({ example: 'ada' })
  user_name!: string;

  @ApiProperty({ type: String, nullable: true, format: 'email', example: 'ada@example.com' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  display_name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Ada' })
  given_name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Lovelace' })
  family_name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Analyst' })
  title!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Engines' })
  department!: string | null;

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({
    description: '"api", or the ID of the sync connection that owns the record (read-only through this API).',
    example: 'api',
  })
  source!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Set on tombstones of deleted members.' })
  deleted_at!: string | null;
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

import { ApiProperty } from '@nestjs/swagger';
import type { OrganizationEntity } from '../organization.entity.js';

export class OrganizationResponse {
  @ApiProperty({ format: 'uuid', example: '0193a6f2-7c1e-7b3a-9d4e-5f6a7b8c9d0e' })
  id!: string;

  @ApiProperty({ example: 'Acme Corp' })
  name!: string;

  @ApiProperty({ description: "Whether the organization's clients may hold the admin scope." })
  platform!: boolean;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

/** A plain object of the OrganizationResponse shape (never an instance, never the entity). */
export function toOrganizationResponse(organization: OrganizationEntity): OrganizationResponse {
  return {
    id: organization.id,
    name: organization.name,
    platform: organization.isPlatform,
    created_at: organization.createdAt.toISOString(),
    updated_at: organization.updatedAt.toISOString(),
  };
}

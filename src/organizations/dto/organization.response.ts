import type { OrganizationEntity } from '../organization.entity.js';

export interface OrganizationResponse {
  id: string;
  name: string;
  platform: boolean;
  created_at: string;
  updated_at: string;
}

export function toOrganizationResponse(organization: OrganizationEntity): OrganizationResponse {
  return {
    id: organization.id,
    name: organization.name,
    platform: organization.isPlatform,
    created_at: organization.createdAt.toISOString(),
    updated_at: organization.updatedAt.toISOString(),
  };
}

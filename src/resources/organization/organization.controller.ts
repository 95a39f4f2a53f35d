import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { OrganizationResponse, toOrganizationResponse } from '../../organizations/dto/organization.response.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';

/** The token's own organization. Partner routes take the organization from the token, never from the URL. */
@Controller('api/v1/organization')
@ApiTags('Organization')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @RequireScopes('org:read')
  @ApiOperation({ summary: "Read the token's organization" })
  @ApiOkResponse({ type: OrganizationResponse })
  async get(@CurrentPrincipal() principal: Principal): Promise<OrganizationResponse> {
    return toOrganizationResponse(await this.organizations.get(principal.organizationId));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { CreateOrganizationDto } from './dto/create-organization.dto.js';
import { type OrganizationResponse, toOrganizationResponse } from './dto/organization.response.js';
import { OrganizationsService } from './organizations.service.js';

@Controller('admin/organizations')
@RequireScopes('admin')
export class AdminOrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  async create(@Body() dto: CreateOrganizationDto): Promise<OrganizationResponse> {
    return toOrganizationResponse(await this.organizations.create({ name: dto.name, isPlatform: dto.platform }));
  }

  @Get()
  async list(@Query() query: PageQueryDto): Promise<{ data: OrganizationResponse[]; next_cursor: string | null }> {
    const page = await this.organizations.list(query.limit, query.cursor);
    return { data: page.data.map(toOrganizationResponse), next_cursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<OrganizationResponse> {
    return toOrganizationResponse(await this.organizations.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.organizations.delete(id);
  }
}

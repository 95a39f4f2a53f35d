import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from '../common/http/api-problem-responses.decorator.js';
import { ValidBody, ValidQuery } from '../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../common/pagination/page.response.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { CreateOrganizationDto } from './dto/create-organization.dto.js';
import { OrganizationResponse, toOrganizationResponse } from './dto/organization.response.js';
import { OrganizationsService } from './organizations.service.js';

const ApiOrganizationId = () => ApiParam({ name: 'id', description: 'The organization ID.', format: 'uuid' });

@Controller('admin/organizations')
@RequireScopes('admin')
@ApiTags('Admin: organizations')
export class AdminOrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an organization' })
  @ApiCreatedResponse({ type: OrganizationResponse })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS)
  async create(@ValidBody() dto: CreateOrganizationDto): Promise<OrganizationResponse> {
    return toOrganizationResponse(await this.organizations.create({ name: dto.name, isPlatform: dto.platform }));
  }

  @Get()
  @ApiOperation({ summary: 'List organizations', description: 'Oldest first, one page at a time.' })
  @ApiOkResponse({ type: PageOf(OrganizationResponse) })
  @ApiProblemResponses(400)
  async list(@ValidQuery() query: PageQueryDto): Promise<PageResponse<OrganizationResponse>> {
    const page = await this.organizations.list(query.limit, query.cursor);
    return { data: page.data.map(toOrganizationResponse), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an organization' })
  @ApiOrganizationId()
  @ApiOkResponse({ type: OrganizationResponse })
  @ApiProblemResponses(404)
  async get(@Param('id') id: string): Promise<OrganizationResponse> {
    return toOrganizationResponse(await this.organizations.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an organization',
    description: "A soft delete: the organization's clients stop authenticating, and their tokens stop working, at once.",
  })
  @ApiOrganizationId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(404)
  async delete(@Param('id') id: string): Promise<void> {
    await this.organizations.delete(id);
  }
}

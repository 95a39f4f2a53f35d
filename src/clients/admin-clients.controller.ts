import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from '../common/http/api-problem-responses.decorator.js';
import { ValidBody, ValidQuery } from '../common/http/validation.pipe.js';
import { PageOf, type PageResponse } from '../common/pagination/page.response.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { ClientsService } from './clients.service.js';
import { CreateClientDto, toCreateClient } from './dto/create-client.dto.js';
import { ClientResponse, ClientWithSecretResponse, toClientResponse, toClientWithSecretResponse } from './dto/client.response.js';
import { UpdateClientDto, toUpdateClient } from './dto/update-client.dto.js';

const ApiOrganizationId = () => ApiParam({ name: 'organizationId', description: 'The organization ID.', format: 'uuid' });
const ApiClientId = () => ApiParam({ name: 'clientId', description: 'The client ID.' });

@Controller('admin')
@RequireScopes('admin')
@ApiTags('Admin: clients')
export class AdminClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post('organizations/:organizationId/clients')
  @ApiOperation({
    summary: 'Create a client for an organization',
    description:
      'The response holds the client secret; it is shown this once and can never be read again. A private_key_jwt client (RFC 7523) authenticates with its registered keys and is issued no secret.',
  })
  @ApiOrganizationId()
  @ApiCreatedResponse({ type: ClientWithSecretResponse })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404)
  async create(@Param('organizationId') organizationId: string, @ValidBody() dto: CreateClientDto): Promise<ClientWithSecretResponse> {
    const { client, clientSecret } = await this.clients.create(organizationId, toCreateClient(dto));
    return toClientWithSecretResponse(client, clientSecret);
  }

  @Get('organizations/:organizationId/clients')
  @ApiOperation({ summary: "List an organization's clients" })
  @ApiOrganizationId()
  @ApiOkResponse({ type: PageOf(ClientResponse) })
  @ApiProblemResponses(400, 404)
  async list(@Param('organizationId') organizationId: string, @ValidQuery() query: PageQueryDto): Promise<PageResponse<ClientResponse>> {
    const page = await this.clients.listByOrganization(organizationId, query.limit, query.cursor);
    return { data: page.data.map(toClientResponse), next_cursor: page.nextCursor };
  }

  @Get('clients/:clientId')
  @ApiOperation({ summary: 'Read a client' })
  @ApiClientId()
  @ApiOkResponse({ type: ClientResponse })
  @ApiProblemResponses(404)
  async get(@Param('clientId') clientId: string): Promise<ClientResponse> {
    return toClientResponse(await this.clients.get(clientId));
  }

  @Patch('clients/:clientId')
  @ApiOperation({
    summary: 'Change a client',
    description: 'Fields left out keep their value. Disabling a client ends its outstanding tokens at once.',
  })
  @ApiClientId()
  @ApiOkResponse({ type: ClientResponse })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404)
  async update(@Param('clientId') clientId: string, @ValidBody() dto: UpdateClientDto): Promise<ClientResponse> {
    const client = await this.clients.update(clientId, toUpdateClient(dto));
    return toClientResponse(client);
  }

  @Delete('clients/:clientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client', description: 'Its secrets and outstanding tokens stop working at once.' })
  @ApiClientId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(404)
  async delete(@Param('clientId') clientId: string): Promise<void> {
    await this.clients.delete(clientId);
  }
}

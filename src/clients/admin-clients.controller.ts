import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { ClientsService } from './clients.service.js';
import { CreateClientDto, toCreateClient } from './dto/create-client.dto.js';
import {
  type ClientResponse,
  type ClientWithSecretResponse,
  type RotatedSecretResponse,
  toClientResponse,
  toClientWithSecretResponse,
  toRotatedSecretResponse,
} from './dto/client.response.js';
import { RotateSecretDto } from './dto/rotate-secret.dto.js';
import { UpdateClientDto, toUpdateClient } from './dto/update-client.dto.js';

@Controller('admin')
@RequireScopes('admin')
export class AdminClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post('organizations/:organizationId/clients')
  async create(@Param('organizationId') organizationId: string, @Body() dto: CreateClientDto): Promise<ClientWithSecretResponse> {
    const { client, clientSecret } = await this.clients.create(organizationId, toCreateClient(dto));
    return toClientWithSecretResponse(client, clientSecret);
  }

  @Get('organizations/:organizationId/clients')
  async list(
    @Param('organizationId') organizationId: string,
    @Query() query: PageQueryDto,
  ): Promise<{ data: ClientResponse[]; next_cursor: string | null }> {
    const page = await this.clients.listByOrganization(organizationId, query.limit, query.cursor);
    return { data: page.data.map(toClientResponse), next_cursor: page.nextCursor };
  }

  @Get('clients/:clientId')
  async get(@Param('clientId') clientId: string): Promise<ClientResponse> {
    return toClientResponse(await this.clients.get(clientId));
  }

  @Patch('clients/:clientId')
  async update(@Param('clientId') clientId: string, @Body() dto: UpdateClientDto): Promise<ClientResponse> {
    const client = await this.clients.update(clientId, toUpdateClient(dto));
    return toClientResponse(client);
  }

  @Delete('clients/:clientId')
  @HttpCode(204)
  async delete(@Param('clientId') clientId: string): Promise<void> {
    await this.clients.delete(clientId);
  }

  @Post('clients/:clientId/secrets')
  async rotateSecret(@Param('clientId') clientId: string, @Body() dto: RotateSecretDto): Promise<RotatedSecretResponse> {
    return toRotatedSecretResponse(await this.clients.rotateSecret(clientId, dto.grace_period_seconds));
  }
}

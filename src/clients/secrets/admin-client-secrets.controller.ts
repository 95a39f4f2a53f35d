import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/require-scopes.decorator.js';
import { Clock } from '../../common/clock.js';
import { ApiProblemResponse, ApiProblemResponses, JSON_BODY_PROBLEMS } from '../../common/http/api-problem-responses.decorator.js';
import { ValidBody, ValidQuery } from '../../common/http/validation.pipe.js';
import { ClientSecretsService } from './client-secrets.service.js';
import { AddClientSecretDto, ExpireClientSecretDto, ForceQueryDto } from './dto/client-secret-requests.dto.js';
import {
  ClientSecretListResponse,
  ClientSecretResponse,
  CreatedClientSecretResponse,
  toClientSecretResponse,
  toCreatedClientSecretResponse,
} from './dto/client-secret.response.js';

const ApiClientId = () => ApiParam({ name: 'clientId', description: 'The client ID.' });
const ApiSecretId = () => ApiParam({ name: 'secretId', description: 'The secret ID.', format: 'uuid' });
const LOCKOUT = "It is the client's last live secret: add a new one first, or send force=true.";

@Controller('admin/clients/:clientId/secrets')
@RequireScopes('admin')
@ApiTags('Admin: client secrets')
export class AdminClientSecretsController {
  constructor(
    private readonly secrets: ClientSecretsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: "List a client's secrets",
    description: 'Live secrets, and those that expired or were revoked in the last 30 days. Never a secret or its hash.',
  })
  @ApiClientId()
  @ApiOkResponse({ type: ClientSecretListResponse })
  @ApiProblemResponses(404)
  async list(@Param('clientId') clientId: string): Promise<ClientSecretListResponse> {
    const secrets = await this.secrets.list(clientId);
    const now = this.clock.now();
    return { data: secrets.map((secret) => toClientSecretResponse(secret, now)) };
  }

  @Post()
  @ApiOperation({
    summary: 'Add a client secret',
    description:
      'Issues a new secret, shown this once, beside the existing ones. With grace_period_seconds, the other secrets stop working ' +
      'after that grace period (0: at once), which rotates the secret in one call.',
  })
  @ApiClientId()
  @ApiBody({ type: AddClientSecretDto, required: false })
  @ApiCreatedResponse({ type: CreatedClientSecretResponse })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404)
  async add(@Param('clientId') clientId: string, @ValidBody() dto: AddClientSecretDto): Promise<CreatedClientSecretResponse> {
    const added = await this.secrets.add(clientId, { expiresInSeconds: dto.expires_in, gracePeriodSeconds: dto.grace_period_seconds });
    return toCreatedClientSecretResponse(added.secret, added.clientSecret, added.previousSecretsExpireAt, this.clock.now());
  }

  @Post(':secretId/expire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a secret to expire', description: 'The secret keeps working for the grace period; 0 ends it now.' })
  @ApiClientId()
  @ApiSecretId()
  @ApiOkResponse({ type: ClientSecretResponse })
  @ApiProblemResponses(...JSON_BODY_PROBLEMS, 404)
  @ApiProblemResponse(409, `The secret has already ended, or ${LOCKOUT}`)
  async expire(
    @Param('clientId') clientId: string,
    @Param('secretId') secretId: string,
    @ValidBody() dto: ExpireClientSecretDto,
    @ValidQuery() query: ForceQueryDto,
  ): Promise<ClientSecretResponse> {
    const secret = await this.secrets.expire(clientId, secretId, dto.grace_period_seconds, query.force === 'true');
    return toClientSecretResponse(secret, this.clock.now());
  }

  @Delete(':secretId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a secret',
    description: 'The secret is refused from now on, like a wrong one. Tokens it obtained stay valid until they expire.',
  })
  @ApiClientId()
  @ApiSecretId()
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiProblemResponses(400, 404)
  @ApiProblemResponse(409, LOCKOUT)
  async revoke(
    @Param('clientId') clientId: string,
    @Param('secretId') secretId: string,
    @ValidQuery() query: ForceQueryDto,
  ): Promise<void> {
    await this.secrets.revoke(clientId, secretId, query.force === 'true');
  }
}

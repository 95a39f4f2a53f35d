import { Controller, Get, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { Public } from '../auth/public.decorator.js';
import { REQUIRED_SCOPES, RequireScopes } from '../auth/require-scopes.decorator.js';
import { SCOPE_CATALOGUE } from '../common/scopes.js';
import { buildOpenApiDocument } from './openapi.js';

@Controller('things')
@RequireScopes('members:read')
class ThingsController {
  @Get()
  list(): void {}

  @Post()
  @RequireScopes('members:write')
  create(): void {}

  @Get('open')
  @Public()
  open(): void {}
}

@Controller('status')
@Public()
class StatusController {
  @Get()
  status(): void {}
}

describe('the OpenAPI document', () => {
  let app: NestFastifyApplication;
  let document: OpenAPIObject;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ThingsController, StatusController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    document = buildOpenApiDocument(app, 'https://auth.example.com');
  });
  afterAll(() => app.close());

  it('builds without a server listening, with the client credentials flow at the issuer’s token endpoint', () => {
    expect(document.components?.securitySchemes?.oauth2).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/oauth/token', scopes: SCOPE_CATALOGUE } },
    });
    expect(document.servers).toEqual([{ url: 'https://auth.example.com' }]);
  });

  it('gives a route the scopes of its controller’s @RequireScopes', () => {
    expect(document.paths['/things']?.get?.security).toEqual([{ oauth2: ['members:read'] }]);
  });

  it('lets a method’s own @RequireScopes replace its controller’s, as the scopes guard does', () => {
    expect(document.paths['/things']?.post?.security).toEqual([{ oauth2: ['members:write'] }]);
    expect(Reflect.getMetadata(REQUIRED_SCOPES, ThingsController.prototype.create)).toEqual(['members:write']);
    expect(Reflect.getMetadata(REQUIRED_SCOPES, ThingsController)).toEqual(['members:read']);
  });

  it('declares no security and no 401 or 403 on public routes', () => {
    for (const operation of [document.paths['/things/open']?.get, document.paths['/status']?.get]) {
      expect(operation).toBeDefined();
      expect(operation?.security).toBeUndefined();
      expect(operation?.responses).not.toHaveProperty('401');
      expect(operation?.responses).not.toHaveProperty('403');
    }
  });

  it('documents 401 and 403 as problem documents on scoped routes', () => {
    const responses = (document.paths['/things']?.get?.responses ?? {}) as Record<string, ResponseObject>;
    expect(responses['401']?.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDocument' } } });
    expect(responses['403']?.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDocument' } } });
    expect(document.components?.schemas).toHaveProperty('ProblemDocument');
  });
});

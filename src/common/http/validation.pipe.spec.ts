import { Controller, type INestApplication, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import request from 'supertest';
import { PageQueryDto } from '../pagination/page-query.dto.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { ValidBody, ValidQuery } from './validation.pipe.js';

class NameDto {
  @IsString()
  name!: string;
}

@Controller('probe')
class ProbeController {
  @Post()
  echo(@ValidBody() body: NameDto, @ValidQuery() query: PageQueryDto): { body: NameDto; query: PageQueryDto; dto: boolean } {
    return { body, query, dto: body instanceof NameDto && query instanceof PageQueryDto };
  }
}

describe('ValidBody and ValidQuery', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = module.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    // As in the application: a problem filter and no global pipe, so only the decorators validate.
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (query: string, body: object) => request(app.getHttpServer()).post(`/probe${query}`).send(body);

  it('hands the handler DTO instances, the query converted from strings', async () => {
    const response = await post('?limit=5', { name: 'Acme' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ body: { name: 'Acme' }, query: { limit: 5 }, dto: true });
  });

  it('answers an invalid body with a 400 problem naming the field', async () => {
    const response = await post('', { name: 42 });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [{ field: 'name', message: 'name must be a string' }] });
  });

  it('says a message once per field when several rules fail with it', async () => {
    const response = await post('?limit=ten', { name: 'Acme' });

    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(2);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'limit', message: 'limit must be a whole number' },
        { field: 'limit', message: 'limit must be between 1 and 200' },
      ]),
    );
  });

  it('refuses unknown fields in the body and in the query', async () => {
    const body = await post('', { name: 'Acme', tier: 'gold' });
    const query = await post('?sort=name', { name: 'Acme' });

    expect([body.status, body.body]).toMatchObject([400, { errors: [{ field: 'tier', message: 'tier is not a known field' }] }]);
    expect([query.status, query.body]).toMatchObject([400, { errors: [{ field: 'sort', message: 'sort is not a known field' }] }]);
  });
});

import { type ArgumentMetadata, Controller, Get, type INestApplication, type PipeTransform } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { RequestHeader } from './http-headers.js';

@Controller('probe')
class ProbeController {
  @Get()
  read(@RequestHeader('if-none-match') tag: string | undefined): { tag: string | null } {
    return { tag: tag ?? null };
  }
}

/** Stands in for the global ValidationPipe: records every value a global pipe is given. */
class RecordingPipe implements PipeTransform {
  readonly seen: ArgumentMetadata[] = [];

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    this.seen.push(metadata);
    return value;
  }
}

describe('RequestHeader', () => {
  let app: INestApplication;
  let pipe: RecordingPipe;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = module.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    pipe = new RecordingPipe();
    app.useGlobalPipes(pipe);
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  async function get(headers: Record<string, string | string[]>): Promise<{ tag: string | null }> {
    let call = request(app.getHttpServer()).get('/probe');
    // A list goes out as one header line per value (superagent's types allow lists for Cookie only).
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value as string);
    return (await call.expect(200)).body as { tag: string | null };
  }

  it('gives the header, or undefined without one', async () => {
    expect(await get({ 'if-none-match': '"v3"' })).toEqual({ tag: '"v3"' });
    expect(await get({})).toEqual({ tag: null });
  });

  it('gives a repeated header as the one comma-separated value HTTP defines (RFC 9110 section 5.3)', async () => {
    expect(await get({ 'if-none-match': ['"v1"', '"v2"'] })).toEqual({ tag: '"v1", "v2"' });
  });

  it('never hands the header to the global pipes: nothing in it to validate, and each pipe run costs promises', async () => {
    await get({ 'if-none-match': '"v3"' });

    expect(pipe.seen).toEqual([]);
  });
});

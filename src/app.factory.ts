import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ProblemDetailsFilter } from './common/http/problem-details.filter.js';
import { problemValidationPipe } from './common/http/validation.pipe.js';
import { registerBodyParsers } from './common/http/body-parsers.js';
import { OAuthErrorFilter } from './oauth/errors/oauth-error.filter.js';
import { TOKEN_PATH } from './oauth/token/token.controller.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface CreateAppOptions {
  readonly logger?: false | ('log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal')[];
}

/** Builds the HTTP application; used by main.ts and by the end-to-end tests alike. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // Trust a caller's request ID only if it is short and plain; otherwise make one.
    genReqId: (request: IncomingMessage) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bodyParser: false,
    // Nest's default on a failed start-up is process.abort(); main.ts prints the reason and exits instead.
    abortOnError: false,
    logger: options.logger ?? ['log', 'warn', 'error', 'fatal'],
  });
  registerBodyParsers(app.getHttpAdapter().getInstance(), [`/${TOKEN_PATH}`]);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      void reply.header('x-request-id', String(request.id));
    });
  app.useGlobalFilters(new ProblemDetailsFilter([{ path: `/${TOKEN_PATH}`, filter: new OAuthErrorFilter() }]));
  app.useGlobalPipes(problemValidationPipe());
  app.enableShutdownHooks();
  return app;
}

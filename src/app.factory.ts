import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ProblemDetailsFilter } from './common/http/problem-details.filter.js';
import { problemValidationPipe } from './common/http/validation.pipe.js';
import { registerBodyParsers } from './common/http/body-parsers.js';
import { registerResponseHeaders } from './common/http/response-headers.js';
import { OAuthErrorFilter } from './oauth/errors/oauth-error.filter.js';
import { OAUTH_FORM_PATHS } from './oauth/oauth-paths.js';
import { setupOpenApi } from './openapi/openapi.js';

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
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(
    fastify,
    OAUTH_FORM_PATHS.map((path) => `/${path}`),
  );
  registerResponseHeaders(fastify);
  const oauthErrors = new OAuthErrorFilter();
  app.useGlobalFilters(new ProblemDetailsFilter(OAUTH_FORM_PATHS.map((path) => ({ path: `/${path}`, filter: oauthErrors }))));
  app.useGlobalPipes(problemValidationPipe());
  // Before init: Swagger UI and the document are Fastify routes, which Fastify accepts only until it is ready.
  setupOpenApi(app, config);
  app.enableShutdownHooks();
  return app;
}

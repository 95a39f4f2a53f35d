import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { servesApis } from './app-roles.js';
import type { AppConfig } from './config/app-config.js';
import { ProblemDetailsFilter } from './common/http/problem-details.filter.js';
import { registerBodyParsers } from './common/http/body-parsers.js';
import { registerResponseHeaders } from './common/http/response-headers.js';
import { registerNulInUrlRefusal } from './common/http/nul-in-url.js';
import { renderRouterError } from './common/http/router-errors.js';
import { registerSecurityHeaders } from './common/http/security-headers.js';
import { loadHttpsOptions } from './common/http/tls.js';
import { OAuthErrorFilter } from './oauth/errors/oauth-error.filter.js';
import { OAUTH_FORM_PATHS } from './oauth/oauth-paths.js';
import { OAuthRateLimits } from './oauth/rate-limit/oauth-rate-limits.js';
import { registerOAuthAddressLimit } from './oauth/rate-limit/oauth-address-limit.hook.js';
import { DOCS_PATH, setupOpenApi } from './openapi/openapi.js';
import { ShutdownState } from './health/shutdown-state.js';
import { HttpMetrics, registerHttpMetrics } from './metrics/http-metrics.js';
import type { DestinationStream } from 'pino';
import { createRootLogger } from './logging/root-logger.js';
import { fastifyLogging } from './logging/fastify-request-log.js';
import { PinoNestLogger } from './logging/pino-nest.logger.js';
import { registerRequestLogContext } from './logging/request-log-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface CreateAppOptions {
  /** false: no log lines at all, whatever LOG_LEVEL says. */
  readonly logger?: false;
  /** Where log lines go instead of stdout (tests collect them). */
  readonly logDestination?: DestinationStream;
}

/** Builds the HTTP application; used by main.ts and by the end-to-end tests alike. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const https = loadHttpsOptions(config.security.tls);
  const logging = options.logger === false ? { ...config.logging, level: 'silent' as const } : config.logging;
  const logger = createRootLogger(logging, options.logDestination);
  const adapter = new FastifyAdapter({
    ...(https ? { https } : {}),
    // One pino logger for Fastify's request lines and Nest's Logger (src/logging, which says why not nestjs-pino).
    ...fastifyLogging(logger),
    // Everything but OAuth form bodies, which keep their own smaller limit (body-parsers.ts).
    bodyLimit: config.security.bodyLimit,
    // Whether X-Forwarded-For/-Proto/-Host count: only behind a proxy that sets them (request.ip feeds the rate limits).
    trustProxy: trustProxyOption(config.security.trustProxy),
    // Trust a caller's request ID only if it is short and plain; otherwise make one.
    genReqId: (request: { headers: IncomingHttpHeaders }) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    // On close, drop keep-alive connections that carry no request; those with one in flight finish it first.
    forceCloseConnections: 'idle',
    frameworkErrors: renderRouterError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bodyParser: false,
    // Nest's default on a failed start-up is process.abort(); main.ts prints the reason and exits instead.
    abortOnError: false,
    logger: new PinoNestLogger(logger),
  });
  const fastify = app.getHttpAdapter().getInstance();
  // First of all hooks, so that every later one runs with the request ID in its log context.
  registerRequestLogContext(fastify);
  // Before any route exists: each route's metrics hook is attached as the route is added.
  if (config.metrics.access !== 'off') registerHttpMetrics(fastify, app.get(HttpMetrics));
  // Order matters: onRequest hooks run as added, and a request the rate limit refuses must still carry the headers.
  registerSecurityHeaders(app, { hsts: servedOverHttps(config), docsPath: DOCS_PATH });
  // A worker has no OAuth endpoint: there, /oauth/token is a plain 404 problem like any unknown path.
  const apis = servesApis(config.role);
  const formPaths = OAUTH_FORM_PATHS.map((path) => `/${path}`);
  const oauthPaths = apis ? formPaths : [];
  if (apis) registerOAuthAddressLimit(fastify, app.get(OAuthRateLimits), oauthPaths);
  registerNulInUrlRefusal(fastify, oauthPaths);
  // Every role: Fastify parses the body of an unrouted request too, and a form posted to a worker's /oauth/token must meet its 404, not a 415.
  registerBodyParsers(fastify, formPaths);
  registerResponseHeaders(fastify);
  const shutdown = app.get(ShutdownState);
  // A response sent while draining closes its connection, so the server can close without waiting out keep-alive timeouts.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (shutdown.isDraining && request.raw.httpVersionMajor === 1) void reply.header('connection', 'close');
    done(null, payload);
  });
  const oauthErrors = new OAuthErrorFilter();
  app.useGlobalFilters(new ProblemDetailsFilter(oauthPaths.map((path) => ({ path, filter: oauthErrors }))));
  // Before init: Swagger UI and the document are Fastify routes, which Fastify accepts only until it is ready. A worker documents no API.
  if (apis) setupOpenApi(app, config);
  // Exit 0 once the shutdown is done, rather than dying of the re-raised signal; main.ts bounds how long it may take.
  app.enableShutdownHooks([], { useProcessExit: true });
  return app;
}

/**
 * RFC 6797 section 7.2: HSTS only means something over https. Sent when this
 * server terminates TLS itself or its issuer says clients reach it over https
 * (behind a TLS-terminating proxy); never on a plain-http developer setup,
 * where it would pin localhost to https in the browser.
 */
function servedOverHttps(config: AppConfig): boolean {
  return config.security.tls !== undefined || new URL(config.oauth.issuer).protocol === 'https:';
}

/** Fastify takes a hop count too, but its types do not say so: spell it as the function Fastify would build. */
function trustProxyOption(
  trustProxy: AppConfig['security']['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trustProxy === 'number' ? (_address, hop) => hop < trustProxy : trustProxy;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AccessTokenVerifier } from '../auth/access-token.verifier.js';
import { BearerErrors } from '../auth/bearer-errors.js';
import { METRICS_SCOPE } from '../common/scopes.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemType } from '../common/http/problem.js';
import { AppConfig } from '../config/app-config.js';
import { METRICS_PATH } from './metrics.controller.js';
import { MetricsRegistry } from './metrics-registry.js';

/**
 * METRICS_PORT: /metrics on a listener of its own (on HOST), so the main port
 * need not expose it and a firewall can keep the scrape port private. The same
 * METRICS_ACCESS applies here; with `scope`, a bearer token is checked exactly
 * as the bearer guard checks it on the main port.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  /** The port it listens on (the configured one; tests read it back). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => void this.answer(request, response));
    // A scraper's keep-alive connection must not hold the shutdown open.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metrics.port, this.config.http.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Serving /${METRICS_PATH} on ${this.config.http.host}:${this.port}.`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const path = (request.url ?? '').split('?')[0];
      if (path !== `/${METRICS_PATH}` || (request.method !== 'GET' && request.method !== 'HEAD')) {
        return sendProblem(response, new HttpProblem(404, 'not_found', 'Not Found', 'Only GET /metrics is served on this port.'));
      }
      if (this.config.metrics.access === 'scope') await this.authorize(request.headers.authorization);
      const body = await this.metrics.render();
      response.writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      if (error instanceof HttpProblem) return sendProblem(response, error);
      this.logger.error(`Could not answer a metrics scrape: ${error instanceof Error ? error.message : String(error)}`);
      sendProblem(response, new HttpProblem(503, 'unavailable', 'Service Unavailable', 'The metrics could not be read; try again.'));
    }
  }

  /** RFC 6750 section 2.1, as the bearer strategy reads it: the Authorization header only. */
  private async authorize(authorization: string | undefined): Promise<void> {
    const match = /^Bearer +([^ ]+) *$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      if (authorization && /^Bearer\b/i.test(authorization))
        throw BearerErrors.invalidRequest('The Authorization header is not a valid Bearer credential.');
      throw BearerErrors.missingToken();
    }
    const principal = await this.verifier.verify(match[1]);
    if (!principal.scopes.has(METRICS_SCOPE)) throw BearerErrors.insufficientScope([METRICS_SCOPE]);
  }
}

function sendProblem(response: ServerResponse, problem: HttpProblem): void {
  const body = JSON.stringify({
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...problem.extensions,
  });
  response.writeHead(problem.status, { ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
  response.end(body);
}

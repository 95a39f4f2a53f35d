import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimError } from '../scim/scim-error.js';
import type { FaultAction } from './faults.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * Carries out an injected fault on a request. Hung requests keep their
 * sockets here, so closing the upstream can end them (a request that never
 * answers would otherwise hold the server open).
 */
export class FaultResponder {
  private readonly hung = new Set<Socket>();

  respond(action: FaultAction, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    switch (action.kind) {
      case 'status':
        if (action.retryAfterSeconds !== undefined) reply.header('Retry-After', String(action.retryAfterSeconds));
        return this.error(reply, request, action.status);
      case 'invalidClient':
        return reply
          .code(401)
          .headers({ 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Basic realm="scim-upstream"' })
          .send({ error: 'invalid_client', error_description: 'Client authentication failed.' });
      case 'malformedJson':
        return reply
          .code(200)
          .type(SCIM_CONTENT_TYPE)
          .send('{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":');
      case 'dropConnection':
        return this.dropConnection(reply);
      case 'hang':
        return this.hang(request, reply);
    }
  }

  /** Ends every hung request by destroying its connection. */
  releaseAll(): void {
    for (const socket of this.hung) socket.destroy();
    this.hung.clear();
  }

  private error(reply: FastifyReply, request: FastifyRequest, status: number): FastifyReply {
    const detail = `Injected fault: the service answered ${status}.`;
    if (request.url.startsWith('/oauth/')) {
      const error = status === 503 || status === 429 ? 'temporarily_unavailable' : 'server_error';
      return reply.code(status).header('Cache-Control', 'no-store').send({ error, error_description: detail });
    }
    return reply.code(status).type(SCIM_CONTENT_TYPE).send(new ScimError(status, detail).toJSON());
  }

  /** Promises more body than it sends, then closes: the client sees the connection end mid-response. */
  private dropConnection(reply: FastifyReply): FastifyReply {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'Content-Type': SCIM_CONTENT_TYPE, 'Content-Length': '4096' });
    raw.write('{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,"Resources":[{"id":"', () =>
      raw.socket?.destroy(),
    );
    return reply;
  }

  private hang(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    reply.hijack();
    const socket = request.raw.socket;
    this.hung.add(socket);
    socket.once('close', () => this.hung.delete(socket));
    return reply;
  }
}

import Fastify from 'fastify';
import { registerRequestContext } from '../common/http/request-context.js';
import { type AuditContext, currentAuditContext, withAuditContext } from './audit-context.js';

describe('the audit context', () => {
  it('is none outside any request or explicit context', () => {
    expect(currentAuditContext()).toBeUndefined();
  });

  it('defaults to the request being handled: its ID, the caller address and the principal the guard set', async () => {
    const seen: (AuditContext | undefined)[] = [];
    const fastify = Fastify({ genReqId: (request) => String(request.headers['x-request-id']) });
    registerRequestContext(fastify);
    fastify.get('/anonymous', async () => {
      seen.push(currentAuditContext());
      return {};
    });
    fastify.get('/authenticated', async (request) => {
      // What the bearer guard does (@nestjs/passport sets request.user), then the handler records.
      Object.assign(request, { user: { clientId: 'client-1', organizationId: 'org-1' } });
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(currentAuditContext());
      seen.push(withAuditContext({ via: 'cli' }, () => currentAuditContext()));
      return {};
    });
    const base = await fastify.listen({ host: '127.0.0.1', port: 0 });
    try {
      await fetch(`${base}/anonymous`, { headers: { 'x-request-id': 'r-1' } });
      await fetch(`${base}/authenticated`, { headers: { 'x-request-id': 'r-2' } });
    } finally {
      await fastify.close();
    }

    expect(seen).toEqual([
      { requestId: 'r-1', sourceAddress: '127.0.0.1', clientId: null, organizationId: null },
      { requestId: 'r-2', sourceAddress: '127.0.0.1', clientId: 'client-1', organizationId: 'org-1' },
      { via: 'cli' },
    ]);
  });
});

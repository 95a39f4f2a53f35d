import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import type { Principal } from '../auth/principal.js';
import { withAuditContext } from './audit-context.js';

/**
 * Gives each HTTP request's handler its audit context: the request ID, the
 * caller's address and, as interceptors run after the guards, the principal
 * the bearer guard established. Events recorded by the handler and everything
 * it awaits inherit them.
 */
@Injectable()
export class AuditContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const auditContext = {
      requestId: String(request.id),
      sourceAddress: request.ip,
      clientId: request.user?.clientId ?? null,
      organizationId: request.user?.organizationId ?? null,
    };
    // The handler runs when the observable is subscribed to, so subscribing inside the context is what carries it.
    return new Observable((subscriber) => withAuditContext(auditContext, () => next.handle().subscribe(subscriber)));
  }
}

import { type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';

/**
 * Whether this replica has begun to shut down. Set before the HTTP server
 * stops accepting, so /health/ready turns 503 while requests still drain and
 * a load balancer takes the replica out of rotation.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown, OnApplicationShutdown {
  private draining = false;

  constructor(private readonly audit: AuditLog) {}

  get isDraining(): boolean {
    return this.draining;
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  /**
   * Requests that finished while the HTTP server closed may have recorded audit
   * events. Written here, before the pool closes: the audit log's and TypeORM's
   * modules are global, and Nest runs the shutdown hooks of global modules last,
   * in an order nobody chooses.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.audit.flush();
  }
}

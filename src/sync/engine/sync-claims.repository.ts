import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, type EntityManager, IsNull } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { OrganizationEntity } from '../../organizations/organization.entity.js';
import { SyncConnectionEntity } from '../connections/sync-connection.entity.js';

/** A worker's hold on a connection: who, and the fencing token it claimed with. */
export interface Lease {
  readonly connectionId: string;
  readonly owner: string;
  readonly token: number;
}

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor() {
    super('Another worker took this connection over (its lease ran out); this run stopped without writing more.');
  }
}

/**
 * Claims on connections, through the database so they hold across processes
 * and replicas: a conditional UPDATE takes a free or expired lease and bumps
 * the fencing token; every page a run writes first renews the lease with that
 * token, so a worker that lost its lease cannot write over its successor.
 * Plain row updates, no session advisory locks: safe behind connection poolers.
 */
@Injectable()
export class SyncClaimsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Due connections (enabled, next_run_at passed, not held), claimed for `owner` — up to `limit`. */
  async claimDue(
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
  ): Promise<Array<{ connection: SyncConnectionEntity; lease: Lease }>> {
    const candidates = await this.dataSource
      .getRepository(SyncConnectionEntity)
      .createQueryBuilder('c')
      // A deleted organization's connections stop with it.
      .innerJoin(OrganizationEntity, 'o', 'o.id = c.organization_id AND o.deleted_at IS NULL')
      .where('c.enabled = :enabled', { enabled: true })
      .andWhere('c.deleted_at IS NULL')
      .andWhere('c.next_run_at <= :now', { now })
      .andWhere(new Brackets((free) => free.where('c.lease_expires_at IS NULL').orWhere('c.lease_expires_at < :now', { now })))
      .orderBy('c.next_run_at', 'ASC')
      .limit(limit)
      .getMany();
    const claimed: Array<{ connection: SyncConnectionEntity; lease: Lease }> = [];
    for (const connection of candidates) {
      const lease = await this.claim(connection, owner, now, leaseMs);
      if (lease) claimed.push({ connection: { ...connection, leaseOwner: owner, leaseToken: lease.token }, lease });
    }
    return claimed;
  }

  /**
   * A transaction that first renews the lease for another `leaseMs`: it fails,
   * writing nothing, once another worker holds the connection. Every write of
   * a run under way goes through here (pages, checkpoints, the run's end).
   */
  withLease<T>(lease: Lease, leaseMs: number, work: (manager: EntityManager, now: Date) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      await this.renew(manager, lease, new Date(now.getTime() + leaseMs));
      return work(manager, now);
    });
  }

  /** Renews the lease inside a page's transaction; throws when the lease is no longer ours. */
  async renew(manager: EntityManager, lease: Lease, until: Date): Promise<void> {
    const result = await manager.update(
      SyncConnectionEntity,
      { id: lease.connectionId, leaseOwner: lease.owner, leaseToken: lease.token },
      { leaseExpiresAt: until },
    );
    if ((result.affected ?? 0) !== 1) throw new LeaseLostError();
  }

  /** Ends the run's hold and records the connection's new state, if the lease is still ours. */
  async release(lease: Lease, changes: Partial<SyncConnectionEntity>, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager.update(
      SyncConnectionEntity,
      { id: lease.connectionId, leaseOwner: lease.owner, leaseToken: lease.token },
      { ...changes, leaseOwner: null, leaseExpiresAt: null },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Makes a connection due now (a manual run was asked for). */
  async makeDue(connectionId: string, now: Date): Promise<void> {
    await this.dataSource.getRepository(SyncConnectionEntity).update({ id: connectionId, deletedAt: IsNull() }, { nextRunAt: now });
  }

  private async claim(connection: SyncConnectionEntity, owner: string, now: Date, leaseMs: number): Promise<Lease | undefined> {
    const token = connection.leaseToken + 1;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SyncConnectionEntity)
      .set({ leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs), leaseToken: token })
      .where('id = :id AND lease_token = :current', { id: connection.id, current: connection.leaseToken })
      .andWhere(new Brackets((free) => free.where('lease_expires_at IS NULL').orWhere('lease_expires_at < :now', { now })))
      .execute();
    return (result.affected ?? 0) === 1 ? { connectionId: connection.id, owner, token } : undefined;
  }
}

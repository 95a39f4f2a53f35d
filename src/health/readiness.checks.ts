import { Injectable } from '@nestjs/common';
import { type HealthIndicatorFunction, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { servesApis } from '../app-roles.js';
import { AppConfig } from '../config/app-config.js';
import { SigningKeysService } from '../oauth/keys/signing-keys.service.js';
import { answersWithin } from './answers-within.js';
import { ShutdownState } from './shutdown-state.js';

/** Short: a probe that waits longer than the load balancer's own timeout tells it nothing. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * What makes this replica ready for traffic, one indicator each. Every
 * message is fixed text: a driver's error could carry a host name or a
 * connection string, and a probe's body is public.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signingKeys: SigningKeysService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    private readonly config: AppConfig,
  ) {}

  /**
   * The checks of this process's ROLE. A worker signs and serves no token, so
   * the signing key is not part of its readiness: it needs the database, the
   * schema, and not to be shutting down. (With METRICS_ACCESS=scope its /metrics
   * verifies the scraper's token against the published keys; keys that cannot
   * be loaded fail that scrape, which is no reason to take a worker out of service.)
   */
  forRole(): HealthIndicatorFunction[] {
    return [
      () => this.lifecycle(),
      () => this.database(),
      () => this.migrations(),
      ...(servesApis(this.config.role) ? [() => this.signingKey()] : []),
    ];
  }

  lifecycle(): HealthIndicatorResult<'lifecycle'> {
    const check = this.indicators.check('lifecycle');
    return this.shutdown.isDraining ? check.down({ message: 'This replica is shutting down.' }) : check.up();
  }

  async database(): Promise<HealthIndicatorResult<'database'>> {
    const check = this.indicators.check('database');
    const answered = await answersWithin(() => this.dataSource.query('SELECT 1'), READINESS_TIMEOUT_MS);
    return answered ? check.up() : check.down({ message: `The database did not answer within ${READINESS_TIMEOUT_MS} ms.` });
  }

  /**
   * One query per probe, not a cached answer: the schema can change under a
   * running replica (a migration reverted by an operator), and reading the
   * names of the executed migrations costs no more than the ping.
   */
  async migrations(): Promise<HealthIndicatorResult<'migrations'>> {
    const check = this.indicators.check('migrations');
    let executed: Set<string> | undefined;
    const answered = await answersWithin(async () => (executed = await this.executedMigrations()), READINESS_TIMEOUT_MS);
    if (!answered || !executed) return check.down({ message: 'The executed migrations could not be read.' });
    const pending = this.dataSource.migrations.map(migrationName).filter((name) => !executed!.has(name));
    return pending.length === 0 ? check.up() : check.down({ message: `${pending.length} migration(s) pending.`, pending });
  }

  async signingKey(): Promise<HealthIndicatorResult<'signing_key'>> {
    const check = this.indicators.check('signing_key');
    const loaded = await answersWithin(() => this.signingKeys.signingKey(), READINESS_TIMEOUT_MS);
    return loaded ? check.up() : check.down({ message: 'No active signing key could be loaded.' });
  }

  private async executedMigrations(): Promise<Set<string>> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    const rows = await this.dataSource.createQueryBuilder().select('m.name', 'name').from(table, 'm').getRawMany<{ name: string }>();
    return new Set(rows.map((row) => row.name));
  }
}

/** The name TypeORM records for a migration (its `name`, else its class name). */
function migrationName(migration: { name?: string; constructor: { name: string } }): string {
  return migration.name ?? migration.constructor.name;
}

import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { servesApis } from './app-roles.js';
import { AuditApiModule } from './audit/audit-api.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuditServerModule } from './audit/audit-server.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ClientsApiModule } from './clients/clients-api.module.js';
import { CommonModule } from './common/common.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { SqliteStatisticsScheduler } from './database/sqlite-statistics.scheduler.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { HealthModule } from './health/health.module.js';
import { SigningKeysApiModule } from './oauth/keys/signing-keys-api.module.js';
import { SigningKeysServerModule } from './oauth/keys/signing-keys-server.module.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { OrganizationsApiModule } from './organizations/organizations-api.module.js';
import { ResourcesModule } from './resources/resources.module.js';
import { SyncEngineModule } from './sync/engine/sync-engine.module.js';
import { SyncApiModule } from './sync/sync-api.module.js';

/** The HTTP APIs: OAuth endpoints, admin API, organization API. */
const API_MODULES = [
  AuditApiModule,
  OrganizationsApiModule,
  ClientsApiModule,
  OAuthModule,
  SigningKeysApiModule,
  ResourcesModule,
  SyncApiModule,
];

/**
 * The server, composed by ROLE. Every role has the probes, the metrics, the
 * audit log, the bearer guards (METRICS_ACCESS=scope checks tokens on a worker
 * too), the signing keys' upkeep and the sync engine, whose scheduler runs only
 * where config.sync.enabled (never with ROLE=api). Only a process that serves
 * the APIs loads their modules: a worker builds no such controller at all, so
 * every other path is the router's 404 problem there.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Global, before the features that record into it.
        MetricsModule.register(config),
        CommonModule,
        CryptoModule,
        DatabaseModule.forRoot(),
        AuditModule,
        AuditServerModule,
        AuthModule,
        SigningKeysServerModule,
        // Imported once, here: the CLI has no scheduler.
        ScheduleModule.forRoot(),
        SyncEngineModule,
        HealthModule,
        ...(servesApis(config.role) ? API_MODULES : []),
      ],
      // The server's, not the CLI's: a long-lived connection keeps its planner statistics current.
      providers: [SqliteStatisticsScheduler],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module.js';
import { AuditServerModule } from './audit/audit-server.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { CommonModule } from './common/common.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { HealthModule } from './health/health.module.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { ResourcesModule } from './resources/resources.module.js';
import { SyncModule } from './sync/sync.module.js';

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
        OrganizationsModule,
        ClientsModule,
        OAuthModule,
        AuthModule,
        ResourcesModule,
        // Imported once, here: the CLI has no scheduler.
        ScheduleModule.forRoot(),
        SyncModule,
        HealthModule,
      ],
    };
  }
}

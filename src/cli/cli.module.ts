import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { CommonModule } from '../common/common.module.js';
import { CryptoModule } from '../common/crypto/crypto.module.js';
import type { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { SigningKeysModule } from '../oauth/keys/signing-keys.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { SyncConnectionsModule } from '../sync/connections/sync-connections.module.js';
import { SyncRunsModule } from '../sync/runs/sync-runs.module.js';

/**
 * The server's feature modules without HTTP: the CLI works on the same
 * database through the same services, and starting it runs the same
 * migrations (and the bootstrap admin check, when configured). It does not
 * create or rotate signing keys except through `keys rotate`, and it fails at
 * once, without retries, when the database is unreachable.
 */
@Module({})
export class CliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        CryptoModule,
        DatabaseModule.forRoot({ retryAttempts: 0 }),
        AuditModule,
        OrganizationsModule,
        ClientsModule,
        SigningKeysModule,
        SyncConnectionsModule,
        SyncRunsModule,
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
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
import { SyncEngineModule } from '../sync/engine/sync-engine.module.js';
import { SyncRunsModule } from '../sync/runs/sync-runs.module.js';

/**
 * The server's feature modules without HTTP: the CLI works on the same
 * database through the same services, and starting it runs the same
 * migrations (and the bootstrap admin check, when configured). It does not
 * create or rotate signing keys except through `keys rotate`, and it fails at
 * once, without retries, when the database is unreachable.
 *
 * It never runs syncs: `sync run` queues a run through the same
 * SyncTriggerService as the API, and a server (SYNC_ENABLED) executes it. The
 * scheduler is therefore switched off here whatever SYNC_ENABLED says, so a
 * short-lived command never claims a connection it would abandon on exit.
 */
@Module({})
export class CliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config.with({ sync: { ...config.sync, enabled: false } })),
        // The sync engine's scheduler needs the registry; with sync off it registers nothing.
        ScheduleModule.forRoot(),
        CommonModule,
        CryptoModule,
        DatabaseModule.forRoot({ retryAttempts: 0, checkpointInWorker: false }),
        AuditModule,
        OrganizationsModule,
        ClientsModule,
        SigningKeysModule,
        SyncConnectionsModule,
        SyncRunsModule,
        SyncEngineModule,
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { SyncConnectionsModule } from '../connections/sync-connections.module.js';
import { ScimConnector } from '../connectors/scim/scim.connector.js';
import { SYNC_CONNECTORS, type SyncConnector } from '../connectors/sync-connector.js';
import { SyncRunsRepository } from '../runs/sync-runs.repository.js';
import { UpstreamTokenStore } from '../upstream/upstream-token-store.js';
import { ConnectorSessions } from './connector-sessions.js';
import { GroupSyncWriter } from './group-sync-writer.js';
import { MemberSyncWriter } from './member-sync-writer.js';
import { SyncClaimsRepository } from './sync-claims.repository.js';
import { SyncDeletions } from './sync-deletions.js';
import { SyncRunEndings } from './sync-run-endings.js';
import { SyncRunner } from './sync-runner.js';
import { SyncTriggerService } from './sync-trigger.service.js';
import { SyncScheduler } from './sync.scheduler.js';

/**
 * The sync worker: connectors, the runner and the scheduler. A second
 * connector is one more class in SYNC_CONNECTORS; nothing else changes. No
 * controller: its HTTP trigger is SyncTriggerApiModule, which a worker does not load.
 */
@Module({
  imports: [SyncConnectionsModule],
  providers: [
    ScimConnector,
    { provide: SYNC_CONNECTORS, inject: [ScimConnector], useFactory: (...connectors: SyncConnector[]) => connectors },
    SyncRunsRepository,
    SyncClaimsRepository,
    MemberSyncWriter,
    GroupSyncWriter,
    SyncDeletions,
    UpstreamTokenStore,
    ConnectorSessions,
    SyncRunEndings,
    SyncRunner,
    SyncScheduler,
    SyncTriggerService,
  ],
  exports: [SyncTriggerService, SyncScheduler, SyncRunsRepository],
})
export class SyncEngineModule {}

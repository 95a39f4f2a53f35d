import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, type BootstrapAdminConfig } from '../config/app-config.js';
import { ADMIN_SCOPE } from '../common/scopes.js';
import { StartupLock } from '../database/startup-lock.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { ClientDirectory } from './client-directory.js';
import { ClientSecretHasher } from './client-secret-hasher.js';
import { ClientsService } from './clients.service.js';

/**
 * With BOOTSTRAP_ADMIN_CLIENT_ID and _SECRET set, a fresh install can be driven
 * over HTTP alone: start-up makes sure that platform admin client exists, holds
 * the admin scope and accepts exactly that secret. Replicas starting together
 * do it one at a time (StartupLock), so the first creates the client and its
 * platform organization and the others find them: never two platform
 * organizations, never a failed start on the unique client id.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly config: AppConfig,
    private readonly organizations: OrganizationsService,
    private readonly organizationsRepository: OrganizationsRepository,
    private readonly clients: ClientsService,
    private readonly directory: ClientDirectory,
    private readonly hasher: ClientSecretHasher,
    private readonly startupLock: StartupLock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootstrapAdmin = this.config.bootstrapAdmin;
    if (bootstrapAdmin) await this.startupLock.run('bootstrap-admin', () => this.ensure(bootstrapAdmin));
  }

  async ensure({ clientId, clientSecret }: BootstrapAdminConfig): Promise<void> {
    // Read what the replica that held the lock before us committed, not a cached view from before the wait.
    this.directory.invalidate(clientId);
    const existing = await this.directory.find(clientId);
    if (!existing) {
      const platform =
        (await this.organizationsRepository.findLivePlatformOrganization()) ??
        (await this.organizations.create({ name: 'Platform', isPlatform: true }));
      await this.clients.create(platform.id, { clientId, clientSecret, clientName: 'Bootstrap admin', scope: ADMIN_SCOPE });
      this.logger.log(`Created the bootstrap admin client ${clientId}.`);
      return;
    }
    const digest = this.hasher.digest(clientSecret);
    if (!existing.secrets.some((secret) => secret.expiresAt === null && this.hasher.matches(digest, secret))) {
      await this.clients.replaceSecret(clientId, clientSecret);
      this.logger.log(`The bootstrap admin client ${clientId} now accepts the configured secret only.`);
    }
    if (!existing.allowedScopes.has(ADMIN_SCOPE)) {
      await this.clients.update(clientId, { scope: [...existing.allowedScopes, ADMIN_SCOPE].join(' ') });
    }
    if (!existing.usable) this.logger.warn(`The bootstrap admin client ${clientId} is disabled; it cannot obtain tokens.`);
  }
}

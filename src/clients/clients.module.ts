import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { BootstrapAdminService } from './bootstrap-admin.service.js';
import { ClientDirectory } from './client-directory.js';
import { ClientSecretEntity } from './client-secret.entity.js';
import { ClientSecretHasher } from './client-secret-hasher.js';
import { ClientEntity } from './client.entity.js';
import { ClientsRepository } from './clients.repository.js';
import { ClientsService } from './clients.service.js';
import { ClientSecretsRepository } from './secrets/client-secrets.repository.js';
import { ClientSecretsService } from './secrets/client-secrets.service.js';
import { SecretUsageRecorder } from './secrets/secret-usage.recorder.js';

/**
 * Clients and their secrets, for the token endpoint, the bearer guard and the
 * CLI; their admin API is ClientsApiModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ClientEntity, ClientSecretEntity]), OrganizationsModule],
  providers: [
    ClientsRepository,
    ClientsService,
    ClientDirectory,
    ClientSecretHasher,
    BootstrapAdminService,
    ClientSecretsRepository,
    ClientSecretsService,
    SecretUsageRecorder,
  ],
  exports: [ClientsService, ClientSecretsService, ClientDirectory, ClientSecretHasher, SecretUsageRecorder],
})
export class ClientsModule {}

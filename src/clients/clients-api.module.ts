import { Module } from '@nestjs/common';
import { AdminClientsController } from './admin-clients.controller.js';
import { ClientsModule } from './clients.module.js';
import { AdminClientSecretsController } from './secrets/admin-client-secrets.controller.js';

/** /admin/.../clients and their secrets: loaded where the process serves the APIs (ROLE api or both). */
@Module({
  imports: [ClientsModule],
  controllers: [AdminClientsController, AdminClientSecretsController],
})
export class ClientsApiModule {}

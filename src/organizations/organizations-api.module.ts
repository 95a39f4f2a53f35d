import { Module } from '@nestjs/common';
import { AdminOrganizationsController } from './admin-organizations.controller.js';
import { OrganizationsModule } from './organizations.module.js';

/** /admin/organizations: loaded where the process serves the APIs (ROLE api or both), never by a worker. */
@Module({
  imports: [OrganizationsModule],
  controllers: [AdminOrganizationsController],
})
export class OrganizationsApiModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity } from './organization.entity.js';
import { OrganizationEvents } from './organization-events.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { OrganizationsService } from './organizations.service.js';

/** Organizations, for every feature that refers to one; their admin API is OrganizationsApiModule. */
@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity])],
  providers: [OrganizationsRepository, OrganizationsService, OrganizationEvents],
  exports: [OrganizationsService, OrganizationsRepository, OrganizationEvents],
})
export class OrganizationsModule {}

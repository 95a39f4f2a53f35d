import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminOrganizationsController } from './admin-organizations.controller.js';
import { OrganizationEntity } from './organization.entity.js';
import { OrganizationEvents } from './organization-events.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { OrganizationsService } from './organizations.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity])],
  controllers: [AdminOrganizationsController],
  providers: [OrganizationsRepository, OrganizationsService, OrganizationEvents],
  exports: [OrganizationsService, OrganizationsRepository, OrganizationEvents],
})
export class OrganizationsModule {}

import { ClientSecretEntity } from '../clients/client-secret.entity.js';
import { ClientEntity } from '../clients/client.entity.js';
import { SigningKeyEntity } from '../oauth/keys/signing-key.entity.js';
import { OrganizationEntity } from '../organizations/organization.entity.js';
import { SettingEntity } from './setting.entity.js';

/** Every entity, for the DataSource shared by the app, the CLI and the typeorm CLI. */
export const ENTITIES = [SettingEntity, OrganizationEntity, ClientEntity, ClientSecretEntity, SigningKeyEntity];

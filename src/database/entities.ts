import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { ClientSecretEntity } from '../clients/client-secret.entity.js';
import { ClientEntity } from '../clients/client.entity.js';
import { UsedAssertionEntity } from '../oauth/client-auth/used-assertion.entity.js';
import { RateLimitCounterEntity } from '../oauth/rate-limit/rate-limit-counter.entity.js';
import { RevokedTokenEntity } from '../oauth/revocation/revoked-token.entity.js';
import { SigningKeyEntity } from '../oauth/keys/signing-key.entity.js';
import { OrganizationEntity } from '../organizations/organization.entity.js';
import { GroupMembershipEntity } from '../resources/groups/group-membership.entity.js';
import { GroupEntity } from '../resources/groups/group.entity.js';
import { MemberEntity } from '../resources/members/member.entity.js';
import { IdempotencyRecordEntity } from '../resources/shared/idempotency-record.entity.js';
import { SettingEntity } from './setting.entity.js';
import { SyncConnectionEntity } from '../sync/connections/sync-connection.entity.js';
import { SyncRunEntity } from '../sync/runs/sync-run.entity.js';
import { UpstreamTokenEntity } from '../sync/upstream/upstream-token.entity.js';

/** Every entity, for the DataSource shared by the app, the CLI and the typeorm CLI. */
export const ENTITIES = [
  SettingEntity,
  OrganizationEntity,
  ClientEntity,
  ClientSecretEntity,
  SigningKeyEntity,
  MemberEntity,
  GroupEntity,
  GroupMembershipEntity,
  IdempotencyRecordEntity,
  SyncConnectionEntity,
  SyncRunEntity,
  RevokedTokenEntity,
  UsedAssertionEntity,
  AuditEventEntity,
  RateLimitCounterEntity,
  UpstreamTokenEntity,
];

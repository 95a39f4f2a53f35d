import { jest } from '@jest/globals';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Clock } from '../../common/clock.js';
import { generateRootKey, SecretsKeyring } from '../../common/crypto/secrets-keyring.js';
import type { OrganizationsService } from '../../organizations/organizations.service.js';
import { SyncConnectionEntity } from './sync-connection.entity.js';
import type { SyncConnectionsRepository } from './sync-connections.repository.js';
import { SyncConnectionsService } from './sync-connections.service.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ID = '0195e1a2-0000-7000-8000-000000000001';

describe('SyncConnectionsService', () => {
  const keyring = new SecretsKeyring(generateRootKey());
  let repository: jest.Mocked<Pick<SyncConnectionsRepository, 'insert' | 'findLive' | 'changeSettings' | 'changeUpstream'>>;
  let organizations: jest.Mocked<Pick<OrganizationsService, 'get' | 'isLive'>>;
  let service: SyncConnectionsService;
  let stored: SyncConnectionEntity;

  beforeEach(() => {
    stored = Object.assign(new SyncConnectionEntity(), {
      id: ID,
      organizationId: 'org-1',
      baseUrl: 'https://old.example.com/scim',
      tokenUrl: 'https://login.example.com/token',
      clientId: 'worker',
      clientSecret: keyring.encrypt('s3cret'),
      tokenEndpointAuthMethod: 'client_secret_post' as const,
      scope: 'scim.read',
      resource: null,
    });
    repository = {
      insert: jest.fn<SyncConnectionsRepository['insert']>().mockResolvedValue(undefined),
      findLive: jest.fn<SyncConnectionsRepository['findLive']>().mockResolvedValue(stored),
      changeSettings: jest.fn<SyncConnectionsRepository['changeSettings']>().mockResolvedValue(true),
      changeUpstream: jest.fn<SyncConnectionsRepository['changeUpstream']>().mockResolvedValue(true),
    };
    organizations = {
      get: jest.fn<OrganizationsService['get']>().mockResolvedValue({} as Awaited<ReturnType<OrganizationsService['get']>>),
      isLive: jest.fn<OrganizationsService['isLive']>().mockResolvedValue(true),
    };
    const clock: Clock = { now: () => NOW, nowSeconds: () => NOW.getTime() / 1000 };
    service = new SyncConnectionsService(
      repository as unknown as SyncConnectionsRepository,
      organizations as unknown as OrganizationsService,
      keyring,
      clock,
      { record: jest.fn() } as unknown as AuditLog,
    );
  });

  it('creates a connection that is due at once, with its secret sealed', async () => {
    const created = await service.create('org-1', {
      name: 'n',
      kind: 'scim',
      baseUrl: 'https://a.example.com',
      tokenUrl: 'https://b.example.com',
      clientId: 'c',
      clientSecret: 'plain-secret',
      tokenEndpointAuthMethod: 'client_secret_basic',
      scope: null,
      resource: null,
      intervalSeconds: 3600,
      fullSyncEvery: 24,
      maxDeletePercent: 20,
      enabled: true,
    });

    expect(created).toMatchObject({ nextRunAt: NOW, watermark: null, runsSinceFull: 0, leaseToken: 0, consecutiveFailures: 0 });
    expect(created.clientSecret).toMatch(/^v1\./);
    expect(keyring.decrypt(created.clientSecret)).toBe('plain-secret');
    expect(repository.insert).toHaveBeenCalledWith(created);
  });

  it('treats a new base_url as a new upstream, and anything else as a change of settings', async () => {
    await service.update(ID, { baseUrl: 'https://new.example.com/scim' });
    expect(repository.changeUpstream).toHaveBeenCalledWith(ID, { baseUrl: 'https://new.example.com/scim' }, NOW);

    await service.update(ID, { baseUrl: stored.baseUrl, tokenUrl: 'https://other.example.com/token', kind: 'scim' });
    expect(repository.changeSettings).toHaveBeenCalledWith(
      ID,
      { baseUrl: stored.baseUrl, tokenUrl: 'https://other.example.com/token', kind: 'scim' },
      NOW,
    );
    expect(repository.changeUpstream).toHaveBeenCalledTimes(1);
  });

  it('seals a new secret before it reaches the repository', async () => {
    await service.update(ID, { clientSecret: 'next-secret' });
    const settings = repository.changeSettings.mock.calls[0]![1];
    expect(settings.clientSecret).not.toBe('next-secret');
    expect(keyring.decrypt(settings.clientSecret!)).toBe('next-secret');
  });

  it('opens the secret for the worker, with what it needs for the token request', () => {
    expect(service.credentialsOf(stored)).toEqual({
      tokenUrl: 'https://login.example.com/token',
      clientId: 'worker',
      clientSecret: 's3cret',
      tokenEndpointAuthMethod: 'client_secret_post',
      scope: 'scim.read',
      resource: null,
    });
  });

  it('hides the connections of a deleted organization', async () => {
    organizations.isLive.mockResolvedValue(false);
    await expect(service.get(ID)).rejects.toMatchObject({ code: 'not_found' });
  });
});

import { DataSource } from 'typeorm';
import { ClientEntity } from '../../src/clients/client.entity.js';
import { ClientSecretsService } from '../../src/clients/secrets/client-secrets.service.js';
import { DomainError, DomainErrorCode } from '../../src/common/errors/domain-error.js';
import { SigningKeysService } from '../../src/oauth/keys/signing-keys.service.js';
import { createClient, type CreatedClient, organizationWithClient } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CONCURRENT = 20;

/**
 * One process, many transactions at once. On SQLite every query of the process
 * shares one connection (and TypeORM one query runner), so without the
 * serialization in src/database/sqlite-transactions.ts the second BEGIN fails
 * ("cannot start a transaction within a transaction") and its rollback undoes
 * the first. On PostgreSQL each transaction has a pooled connection of its own.
 */
describe('concurrent transactions in one process', () => {
  let t: TestApp;
  let admin: string;
  let organizationId: string;
  let client: CreatedClient;
  beforeAll(async () => {
    t = await startTestApp();
    ({ admin, organizationId, client } = await organizationWithClient(t));
  });
  afterAll(() => t.close());

  const secretsPath = (clientId: string) => `/admin/clients/${clientId}/secrets`;
  const times = <T>(run: (index: number) => Promise<T>) => Promise.all(Array.from({ length: CONCURRENT }, (_, index) => run(index)));

  it('adds every one of many secrets posted to one client at the same moment', async () => {
    // A grace period makes each addition a read and several writes in one transaction.
    const responses = await times(() =>
      t.http().post(secretsPath(client.client_id)).auth(admin, { type: 'bearer' }).send({ grace_period_seconds: 3600 }),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(CONCURRENT).fill(201));
    const listed = await t.http().get(secretsPath(client.client_id)).auth(admin, { type: 'bearer' });
    expect(listed.status).toBe(200);
    const ids = (listed.body as { data: { id: string }[] }).data.map((secret) => secret.id);
    expect(ids).toHaveLength(CONCURRENT + 1);
    expect(ids).toEqual(expect.arrayContaining(responses.map((response) => (response.body as { id: string }).id)));
  });

  it('adds every one of many secrets that services add to one client at the same moment', async () => {
    // In-process callers (the CLI, the sync worker) do not queue behind HTTP parsing: their transactions overlap at once.
    const other = await createClient(t, admin, organizationId);
    const added = await times(() => t.app.get(ClientSecretsService).add(other.client_id, { gracePeriodSeconds: 3600 }));

    const listed = await t.http().get(secretsPath(other.client_id)).auth(admin, { type: 'bearer' });
    const ids = (listed.body as { data: { id: string }[] }).data.map((secret) => secret.id);
    expect(ids).toHaveLength(CONCURRENT + 1);
    expect(ids).toEqual(expect.arrayContaining(added.map((result) => result.secret.id)));
  });

  it('creates every one of many clients (each a client and its secret, in one transaction) at the same moment', async () => {
    const created = await times((index) => createClient(t, admin, organizationId, { client_name: `Concurrent ${index}` }));

    const stored = await t.app.get(DataSource).getRepository(ClientEntity).findBy({ organizationId });
    expect(stored.map((row) => row.clientId)).toEqual(expect.arrayContaining(created.map((row) => row.client_id)));
    for (const row of created) {
      const secrets = await t.http().get(secretsPath(row.client_id)).auth(admin, { type: 'bearer' });
      expect((secrets.body as { data: unknown[] }).data).toHaveLength(1);
    }
  });

  it('leaves exactly one active key when many rotations run at the same moment, each retiring the key before it', async () => {
    const keys = t.app.get(SigningKeysService);
    const before = await keys.listAll();

    // A rotation that read the active key after another had replaced it is refused as a conflict
    // (SigningKeysService.rotate); any other failure is the bug.
    const outcomes = await times(() =>
      keys.rotate().then(
        (key) => ({ rotated: key.kid }),
        (error: unknown) => {
          if (error instanceof DomainError && error.code === DomainErrorCode.Conflict) return { conflict: true };
          throw error;
        },
      ),
    );

    const rotated = outcomes.flatMap((outcome) => ('rotated' in outcome ? [outcome.rotated] : []));
    expect(rotated.length).toBeGreaterThanOrEqual(1);
    const after = await keys.listAll();
    const active = after.filter((key) => key.status === 'active');
    expect(active).toHaveLength(1);
    expect(rotated).toContain(active[0]!.kid);
    expect(after).toHaveLength(before.length + rotated.length);
    expect(after.filter((key) => key.status === 'retired')).toHaveLength(
      before.filter((key) => key.status === 'retired').length + rotated.length,
    );
  });

  it('keeps the rotations and the secret additions correct when they interleave', async () => {
    const keys = t.app.get(SigningKeysService);
    const [responses] = await Promise.all([
      times(() => t.http().post(secretsPath(client.client_id)).auth(admin, { type: 'bearer' }).send({ grace_period_seconds: 3600 })),
      times(() =>
        keys
          .rotate()
          .catch((error: unknown) =>
            error instanceof DomainError && error.code === DomainErrorCode.Conflict ? null : Promise.reject(error),
          ),
      ),
    ]);

    expect(responses.map((response) => response.status)).toEqual(Array(CONCURRENT).fill(201));
    expect((await keys.listAll()).filter((key) => key.status === 'active')).toHaveLength(1);
  });
});

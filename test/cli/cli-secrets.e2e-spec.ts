import { CLIENT_STATE_TTL_MS } from '../../src/clients/client-directory.js';
import type { ClientWithSecretResponse } from '../../src/clients/dto/client.response.js';
import type { ClientSecretResponse, CreatedClientSecretResponse } from '../../src/clients/secrets/dto/client-secret.response.js';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import { requestToken } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { type CliHarness, createCliHarness, textField } from './cli-harness.js';

/** The server caches client state this long; waiting past it shows that a running server picks up a CLI change. */
const pastClientCache = () => new Promise((resolve) => setTimeout(resolve, CLIENT_STATE_TTL_MS + 200));

describe('orgsync clients secrets, on the database a server uses', () => {
  let cli: CliHarness;
  let t: TestApp;
  let organizationId: string;

  beforeAll(async () => {
    cli = await createCliHarness();
    organizationId = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Acme Corp')).id;
    t = await cli.startApp();
  });
  afterAll(async () => {
    await t.close();
    await cli.drop();
  });

  const createPartner = async () => {
    const client = await cli.json<ClientWithSecretResponse>(
      'clients',
      'create',
      '--org',
      organizationId,
      '--name',
      'Partner',
      '--scope',
      'org:read',
    );
    return { clientId: client.client_id, secret: client.client_secret! };
  };
  const listSecrets = async (clientId: string) =>
    (await cli.json<{ data: ClientSecretResponse[] }>('clients', 'secrets', 'list', clientId)).data;
  const tokenStatus = async (clientId: string, secret: string) => (await requestToken(t, clientId, secret)).status;

  it('lists secrets as a table with the hint, never the secret', async () => {
    const { clientId, secret } = await createPartner();

    const listed = await cli.run('clients', 'secrets', 'list', clientId);

    expect(listed.code).toBe(0);
    const [header, row, ...rest] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+HINT\s+STATUS\s+CREATED_AT\s+EXPIRES_AT\s+LAST_USED_AT$/);
    expect(row).toContain(secret.slice(-4));
    expect(row).toMatch(/\sactive\s/);
    expect(rest).toEqual([]);
    expect(listed.stdout).not.toContain(secret);
  });

  it('adds a secret beside the first (printed once), then expires the first: the partner switches without downtime', async () => {
    const { clientId, secret: first } = await createPartner();
    const [firstView] = await listSecrets(clientId);

    const added = await cli.run('clients', 'secrets', 'add', clientId, '--expires-in', '7776000');

    expect(added.code).toBe(0);
    expect(added.stderr).toContain('Store the new client secret now');
    expect(added.stderr).toContain('The other secrets keep working');
    const second = textField(added.stdout, 'client_secret');
    expect(Number(textField(added.stdout, 'client_secret_expires_at'))).toBe(
      Math.floor(Date.parse(textField(added.stdout, 'expires_at')) / 1000),
    );
    expect(await tokenStatus(clientId, first)).toBe(200);
    expect(await tokenStatus(clientId, second)).toBe(200);

    const expired = await cli.json<ClientSecretResponse>('clients', 'secrets', 'expire', clientId, firstView!.id, '--grace-period', '0');

    expect(expired).toMatchObject({ id: firstView!.id, status: 'expired' });
    await pastClientCache();
    expect(await tokenStatus(clientId, first)).toBe(401);
    expect(await tokenStatus(clientId, second)).toBe(200);
  });

  it('adds with --grace-period, which sets the other secrets to expire', async () => {
    const { clientId, secret: first } = await createPartner();

    const added = await cli.json<CreatedClientSecretResponse>('clients', 'secrets', 'add', clientId, '--grace-period', '600');

    expect(Math.abs(Date.parse(added.previous_secrets_expire_at!) - Date.now() - 600_000)).toBeLessThan(10_000);
    const firstView = (await listSecrets(clientId)).find((s) => s.id !== added.id);
    expect(firstView?.expires_at).toBe(added.previous_secrets_expire_at);
    expect(await tokenStatus(clientId, first)).toBe(200);
  });

  it('revokes a secret so that a running server refuses it, and refuses to revoke the last one without --force', async () => {
    const { clientId, secret: first } = await createPartner();
    const [firstView] = await listSecrets(clientId);
    const second = await cli.json<CreatedClientSecretResponse>('clients', 'secrets', 'add', clientId);

    const revoked = await cli.run('clients', 'secrets', 'revoke', clientId, firstView!.id);

    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`Revoked secret ${firstView!.id} of client ${clientId}.\n`);
    await pastClientCache();
    expect(await tokenStatus(clientId, first)).toBe(401);
    const last = await cli.run('clients', 'secrets', 'revoke', clientId, second.id);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('last live secret');
    expect(await tokenStatus(clientId, second.client_secret)).toBe(200);
    expect((await cli.run('clients', 'secrets', 'revoke', clientId, second.id, '--force')).code).toBe(0);
    expect((await listSecrets(clientId)).map((s) => s.status)).toEqual(['revoked', 'revoked']);
  });

  it('names the flag of an invalid option and exits 2; an unknown secret exits 1', async () => {
    const { clientId } = await createPartner();
    const [view] = await listSecrets(clientId);

    const invalid = await cli.run('clients', 'secrets', 'add', clientId, '--expires-in', '0');
    const negative = await cli.run('clients', 'secrets', 'expire', clientId, view!.id, '--grace-period', '-1');
    const missing = await cli.run('clients', 'secrets', 'expire', clientId, view!.id);
    const unknown = await cli.run('clients', 'secrets', 'revoke', clientId, '01890000-0000-7000-8000-000000000000');

    expect(invalid).toMatchObject({ code: 2, stderr: expect.stringContaining('--expires-in (expires_in): expires_in must be at least 1') });
    expect(negative).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--grace-period (grace_period_seconds): grace_period_seconds must not be negative'),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--grace-period <seconds>' not specified");
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('was not found') });
    expect(await listSecrets(clientId)).toHaveLength(1);
  });
});

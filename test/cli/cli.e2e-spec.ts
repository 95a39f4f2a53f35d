import { decodeProtectedHeader } from 'jose';
import { DataSource } from 'typeorm';
import { CLIENT_STATE_TTL_MS } from '../../src/clients/client-directory.js';
import type { ClientResponse, ClientWithSecretResponse } from '../../src/clients/dto/client.response.js';
import type { CreatedClientSecretResponse } from '../../src/clients/secrets/dto/client-secret.response.js';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import { adminToken, basicAuthorization, createClient, obtainToken } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { type CliHarness, createCliHarness, textField } from './cli-harness.js';

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

interface SigningKeyRow {
  kid: string;
  status: string;
  retired_at: string | null;
}

/** The server caches client state this long; waiting past it shows that a running server picks up a CLI change. */
const pastClientCache = () => new Promise((resolve) => setTimeout(resolve, CLIENT_STATE_TTL_MS + 200));

async function tokenStatus(t: TestApp, clientId: string, clientSecret: string): Promise<{ status: number; error?: string }> {
  const response = await t
    .http()
    .post('/oauth/token')
    .set('authorization', basicAuthorization(clientId, clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials' });
  return { status: response.status, error: (response.body as { error?: string }).error };
}

describe('the orgsync CLI, on the database a server uses', () => {
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

  const createPartner = (...extra: string[]) =>
    cli.json<ClientWithSecretResponse>(
      'clients',
      'create',
      '--org',
      organizationId,
      '--name',
      'Partner',
      '--scope',
      'org:read members:read',
      ...extra,
    );

  it('creates an organization and a client whose printed secret obtains tokens from the server', async () => {
    const org = await cli.run('orgs', 'create', '--name', 'Globex');
    expect(org.code).toBe(0);
    const orgId = textField(org.stdout, 'id');

    const created = await cli.run('clients', 'create', '--org', orgId, '--name', 'Globex sync', '--scope', 'org:read');
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('cannot be shown again');
    const token = await obtainToken(t, textField(created.stdout, 'client_id'), textField(created.stdout, 'client_secret'), 'org:read');

    const response = await t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });
    expect(response.body).toMatchObject({ id: orgId, name: 'Globex' });
  });

  it('prints with --json the very objects the HTTP API returns, never a hash nor an old secret', async () => {
    const viaCli = await createPartner();
    const viaApi = await createClient(t, await adminToken(t), organizationId);
    expect(Object.keys(viaCli).sort()).toEqual(Object.keys(viaApi).sort());
    const shown = await cli.json<ClientResponse>('clients', 'show', viaCli.client_id);
    expect(shown).toEqual(
      (
        await t
          .http()
          .get(`/admin/clients/${viaCli.client_id}`)
          .auth(await adminToken(t), { type: 'bearer' })
      ).body,
    );
    const org = await cli.json<OrganizationResponse>('orgs', 'show', organizationId);
    expect(Object.keys(org).sort()).toEqual(['created_at', 'id', 'name', 'platform', 'updated_at']);

    const outputs = [
      JSON.stringify(shown),
      (await cli.run('--json', 'clients', 'list', '--org', organizationId)).stdout,
      (await cli.run('clients', 'show', viaCli.client_id)).stdout,
    ];
    const hashes = (await t.app.get(DataSource).query('SELECT hash FROM client_secrets')) as { hash: string }[];
    for (const output of outputs) {
      expect(output).not.toContain(viaCli.client_secret);
      for (const { hash } of hashes) expect(output).not.toContain(hash);
    }
  });

  it('lists clients a page at a time, shows and updates them', async () => {
    const orgId = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Initech')).id;
    const created = [];
    for (const name of ['First', 'Second']) {
      created.push(await cli.json<ClientWithSecretResponse>('clients', 'create', '--org', orgId, '--name', name, '--scope', 'org:read'));
    }
    const first = await cli.json<Page<ClientResponse>>('clients', 'list', '--org', orgId, '--limit', '1');
    expect(first.data).toHaveLength(1);
    const second = await cli.json<Page<ClientResponse>>('clients', 'list', '--org', orgId, '--limit', '1', '--cursor', first.next_cursor!);
    expect([...first.data, ...second.data].map((c) => c.client_id).sort()).toEqual(created.map((c) => c.client_id).sort());
    expect(second.next_cursor).toBeNull();

    const table = await cli.run('clients', 'list', '--org', orgId);
    expect(table.stdout.split('\n')[0]).toMatch(/^CLIENT_ID\s+NAME\s+STATUS\s+SCOPE$/);

    const id = created[0]!.client_id;
    const updated = await cli.json<ClientResponse>(
      'clients',
      'update',
      id,
      '--name',
      'Renamed',
      '--scope',
      'org:read members:read',
      '--access-token-ttl',
      '120',
    );
    expect(updated).toMatchObject({
      client_name: 'Renamed',
      scope: 'org:read members:read',
      default_scope: 'org:read',
      access_token_ttl: 120,
    });
    expect(await cli.json<ClientResponse>('clients', 'update', id, '--default-access-token-ttl')).toMatchObject({ access_token_ttl: null });
    expect(textField((await cli.run('clients', 'show', id)).stdout, 'client_name')).toBe('Renamed');
  });

  it('rotates a secret: the old one works during the grace period, and --grace-period 0 ends it', async () => {
    const client = await createPartner();
    const rotated = await cli.json<CreatedClientSecretResponse>('clients', 'rotate-secret', client.client_id);
    expect(Date.parse(rotated.previous_secrets_expire_at ?? '')).toBeGreaterThan(Date.now() + 3_500_000);
    await obtainToken(t, client.client_id, client.client_secret!);
    await obtainToken(t, client.client_id, rotated.client_secret);

    const leaked = await cli.run('clients', 'rotate-secret', client.client_id, '--grace-period', '0');
    expect(leaked.stderr).toContain('no longer work');
    await pastClientCache();
    for (const old of [client.client_secret!, rotated.client_secret]) {
      expect(await tokenStatus(t, client.client_id, old)).toEqual({ status: 401, error: 'invalid_client' });
    }
    await obtainToken(t, client.client_id, textField(leaked.stdout, 'client_secret'));
  });

  it('disables and deletes clients so that a running server refuses them with invalid_client', async () => {
    const client = await createPartner();
    await obtainToken(t, client.client_id, client.client_secret!);

    expect(await cli.json<ClientResponse>('clients', 'update', client.client_id, '--status', 'disabled')).toMatchObject({
      status: 'disabled',
    });
    await pastClientCache();
    expect(await tokenStatus(t, client.client_id, client.client_secret!)).toEqual({ status: 401, error: 'invalid_client' });

    await cli.json('clients', 'update', client.client_id, '--status', 'active');
    await pastClientCache();
    await obtainToken(t, client.client_id, client.client_secret!);

    const deleted = await cli.run('clients', 'delete', client.client_id);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted client ${client.client_id}.\n` });
    await pastClientCache();
    expect(await tokenStatus(t, client.client_id, client.client_secret!)).toEqual({ status: 401, error: 'invalid_client' });
    expect((await cli.run('clients', 'show', client.client_id)).code).toBe(1);
  });

  it('deletes an organization, printing nothing with --json, as the API answers 204', async () => {
    const org = await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Doomed');
    expect(await cli.run('--json', 'orgs', 'delete', org.id)).toEqual({ code: 0, stdout: '', stderr: '' });
    const listed = await cli.json<Page<OrganizationResponse>>('orgs', 'list', '--limit', '200');
    expect(listed.data.map((o) => o.id)).not.toContain(org.id);
  });

  it('rotates the signing key: the server signs with the new kid and still publishes the old one', async () => {
    const client = await createPartner();
    const oldKid = decodeProtectedHeader(await obtainToken(t, client.client_id, client.client_secret!)).kid;

    const rotated = await cli.run('keys', 'rotate');
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain('stays in the JWKS');
    const newKid = textField(rotated.stdout, 'kid');
    expect(newKid).not.toBe(oldKid);

    // A server started after the rotation reads the keys afresh.
    await t.close();
    t = await cli.startApp();
    expect(decodeProtectedHeader(await obtainToken(t, client.client_id, client.client_secret!)).kid).toBe(newKid);
    const jwks = (await t.http().get('/oauth/jwks')).body as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([newKid, oldKid]));

    const keys = await cli.json<{ data: SigningKeyRow[] }>('keys', 'list');
    expect(keys.data.find((key) => key.kid === newKid)).toMatchObject({ status: 'active', retired_at: null });
    expect(keys.data.find((key) => key.kid === oldKid)).toMatchObject({ status: 'retired', retired_at: expect.any(String) });
    expect(JSON.stringify(keys)).not.toMatch(/private|BEGIN|"d"/);
  });
});

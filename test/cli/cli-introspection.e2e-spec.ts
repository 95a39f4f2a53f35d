import type { ClientResponse, ClientWithSecretResponse } from '../../src/clients/dto/client.response.js';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import { type CreatedClient, obtainToken } from '../support/factories.js';
import { introspect } from '../support/token-requests.js';
import type { TestApp } from '../support/test-app.js';
import { type CliHarness, createCliHarness } from './cli-harness.js';

/** The introspection permission (RFC 7662 section 2.1), given and taken away from the command line. */
describe('orgsync clients --introspection-allowed', () => {
  let cli: CliHarness;
  let organizationId: string;

  beforeAll(async () => {
    cli = await createCliHarness();
    organizationId = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Resource Org')).id;
  });
  afterAll(() => cli.drop());

  const create = (...extra: string[]) =>
    cli.json<ClientWithSecretResponse>('clients', 'create', '--org', organizationId, '--name', 'RS', '--scope', 'org:read', ...extra);

  it('creates a client without the permission unless asked, and with it when asked', async () => {
    expect((await create()).introspection_allowed).toBe(false);
    expect((await create('--introspection-allowed')).introspection_allowed).toBe(true);
  });

  it('gives and takes the permission on update, and leaves it alone otherwise', async () => {
    const client = await create();
    const update = (...args: string[]) => cli.json<ClientResponse>('clients', 'update', client.client_id, ...args);
    expect((await update('--introspection-allowed')).introspection_allowed).toBe(true);
    expect((await update('--name', 'Renamed')).introspection_allowed).toBe(true);
    expect((await update('--no-introspection-allowed')).introspection_allowed).toBe(false);
  });

  it('lets a server on the same database honour the permission set from the command line', async () => {
    const rs = (await create('--introspection-allowed')) as CreatedClient & ClientWithSecretResponse;
    const t: TestApp = await cli.startApp();
    try {
      const token = await obtainToken(t, rs.client_id, rs.client_secret!);
      expect((await introspect(t, rs, { token })).body).toMatchObject({ active: true, client_id: rs.client_id });
    } finally {
      await t.close();
    }
  });
});

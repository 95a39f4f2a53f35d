import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientResponse, ClientWithSecretResponse } from '../../src/clients/dto/client.response.js';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import { clientKey, jwksOf } from '../support/client-keys.js';
import { type CliHarness, createCliHarness } from './cli-harness.js';

/** A private_key_jwt client's keys (RFC 7591 jwks / jwks_uri), registered from the command line. */
describe('orgsync clients --jwks-file / --jwks-uri', () => {
  let cli: CliHarness;
  let organizationId: string;
  let dir: string;

  beforeAll(async () => {
    cli = await createCliHarness();
    dir = await mkdtemp(join(tmpdir(), 'orgsync-jwks-'));
    organizationId = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Key Org')).id;
  });
  afterAll(async () => {
    await cli.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const create = (...extra: string[]) =>
    cli.run(
      'clients',
      'create',
      '--org',
      organizationId,
      '--name',
      'Signer',
      '--scope',
      'org:read',
      '--auth-method',
      'private_key_jwt',
      ...extra,
    );

  it('registers a JWK Set from a file and issues no secret, then switches to a jwks_uri', async () => {
    const jwks = jwksOf(await clientKey('ES256'));
    const file = join(dir, 'jwks.json');
    await writeFile(file, JSON.stringify(jwks));
    const created = await cli.json<ClientWithSecretResponse>(
      'clients',
      'create',
      '--org',
      organizationId,
      '--name',
      'Signer',
      '--scope',
      'org:read',
      '--auth-method',
      'private_key_jwt',
      '--jwks-file',
      file,
    );
    expect(created).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', jwks });
    expect(created.client_secret).toBeUndefined();

    const updated = await cli.json<ClientResponse>(
      'clients',
      'update',
      created.client_id,
      '--jwks-uri',
      'https://partner.example/jwks.json',
    );
    expect(updated).toMatchObject({ jwks_uri: 'https://partner.example/jwks.json' });
    expect(updated.jwks).toBeUndefined();
  });

  it('refuses a private key in the file, and private_key_jwt without keys, as usage errors', async () => {
    const file = join(dir, 'private.json');
    await writeFile(file, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }] }));
    const privateKey = await create('--jwks-file', file);
    expect(privateKey.code).not.toBe(0);
    expect(privateKey.stderr).toMatch(/private key material/);

    const noKeys = await create();
    expect(noKeys.code).not.toBe(0);
    expect(noKeys.stderr).toMatch(/jwks or jwks_uri/);

    const unreadable = await create('--jwks-file', join(dir, 'missing.json'));
    expect(unreadable.stderr).toMatch(/cannot read/);
  });
});

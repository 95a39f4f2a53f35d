import { randomBytes } from 'node:crypto';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import { type CliHarness, createCliHarness, runOrgsync } from './cli-harness.js';

describe('the orgsync CLI, when used wrongly', () => {
  let cli: CliHarness;
  let organizationId: string;

  beforeAll(async () => {
    cli = await createCliHarness();
    organizationId = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Acme Corp')).id;
  });
  afterAll(() => cli.drop());

  it('explains itself with --help, even without a usable configuration', async () => {
    const help = await runOrgsync(['--help'], { SECRETS_KEY: 'not a key' });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: orgsync');
    expect(help.stdout).toMatch(/orgs\s+create, list, show and delete organizations/);
    expect(help.stdout).toContain('--json');

    const create = await runOrgsync(['clients', 'create', '--help'], {});
    expect(create.code).toBe(0);
    expect(create.stdout).toContain('--auth-method <method>');
    expect(create.stdout).toContain('client_secret_post');
    expect(create.stdout).toContain('private_key_jwt');
  });

  it.each([
    ['an unknown scope', ['--scope', 'org:read bogus'], '--scope', 'unknown scope bogus'],
    [
      'an unknown --auth-method',
      ['--scope', 'org:read', '--auth-method', 'client_secret_jwt'],
      '--auth-method',
      'token_endpoint_auth_method must be one of client_secret_basic, client_secret_post, private_key_jwt',
    ],
    ['the admin scope outside a platform organization', ['--scope', 'admin'], '--scope', 'admin scope may only be granted'],
    ['a too short --access-token-ttl', ['--scope', 'org:read', '--access-token-ttl', '5'], '--access-token-ttl', 'at least 30 seconds'],
  ])('refuses %s, naming the option, and creates nothing', async (_case, options, flag, message) => {
    const result = await cli.run('clients', 'create', '--org', organizationId, '--name', 'Partner', ...options);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(flag);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await cli.json('clients', 'list', '--org', organizationId)).toEqual({ data: [], next_cursor: null });
  });

  it('names a missing required option', async () => {
    const result = await cli.run('clients', 'create', '--name', 'Partner', '--scope', 'org:read');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--org <id>' not specified");
  });

  it('puts each field error on a line of its own', async () => {
    const result = await cli.run('clients', 'create', '--org', organizationId, '--name', '', '--scope', 'org:read', '--auth-method', 'x');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: The request is invalid.');
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ {2}--name \(client_name\): /), expect.stringMatching(/^ {2}--auth-method /)]),
    );
  });

  it('refuses an update that changes nothing, and contradictory options', async () => {
    expect((await cli.run('clients', 'update', 'orgsync_ci_x')).stderr).toContain('nothing to change');
    const both = await cli.run('clients', 'update', 'orgsync_ci_x', '--access-token-ttl', '60', '--default-access-token-ttl');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('cannot be used with');
  });

  it('reports unknown ids as not found, with exit code 1', async () => {
    for (const args of [
      ['clients', 'show', 'orgsync_ci_unknown'],
      ['clients', 'rotate-secret', 'orgsync_ci_unknown'],
      ['clients', 'delete', 'orgsync_ci_unknown'],
    ]) {
      expect(await cli.run(...args)).toEqual({ code: 1, stdout: '', stderr: 'error: Client orgsync_ci_unknown was not found.\n' });
    }
    expect((await cli.run('orgs', 'show', '01900000-0000-7000-8000-000000000000')).stderr).toContain('was not found');
    expect((await cli.run('clients', 'list', '--org', '01900000-0000-7000-8000-000000000000')).code).toBe(1);
  });

  it('refuses a bad configuration with the message naming the variable, before touching the database', async () => {
    const result = await runOrgsync(['orgs', 'list'], { ...cli.env, SECRETS_KEY: 'too-short' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SECRETS_KEY must be 32 bytes');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a SECRETS_KEY other than the one the database was set up with, so no unusable secret is handed out', async () => {
    const otherKey = { ...cli.env, SECRETS_KEY: randomBytes(32).toString('hex') };
    const result = await runOrgsync(['clients', 'create', '--org', organizationId, '--name', 'Partner', '--scope', 'org:read'], otherKey);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('SECRETS_KEY is not the key this database was set up with');
    expect(await cli.json('clients', 'list', '--org', organizationId)).toEqual({ data: [], next_cursor: null });
  });

  it('refuses unknown commands and options as usage errors', async () => {
    expect((await cli.run('orgs', 'explode')).code).toBe(2);
    expect((await cli.run('orgs', 'list', '--limit', '500')).code).toBe(2);
    expect((await cli.run('orgs', 'list', '--colour')).code).toBe(2);
  });
});

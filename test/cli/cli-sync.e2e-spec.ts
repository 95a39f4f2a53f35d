import { DataSource } from 'typeorm';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import type { SyncConnectionResponse } from '../../src/sync/connections/dto/sync-connection.response.js';
import { SyncConnectionEntity } from '../../src/sync/connections/sync-connection.entity.js';
import { SyncConnectionsService } from '../../src/sync/connections/sync-connections.service.js';
import type { SyncRunResponse } from '../../src/sync/runs/dto/sync-run.response.js';
import { adminToken } from '../support/factories.js';
import { insertSyncRun, UPSTREAM_SECRET } from '../support/sync-factories.js';
import type { TestApp } from '../support/test-app.js';
import { type CliHarness, createCliHarness, textField } from './cli-harness.js';

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

describe('orgsync sync: connections and runs from the command line', () => {
  let cli: CliHarness;
  let t: TestApp;
  let organizationId: string;
  let admin: string;

  beforeAll(async () => {
    cli = await createCliHarness();
    organizationId = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Acme Corp')).id;
    // No worker: the connections made here point at hosts that do not exist, and a run's warning would land in the CLI's output.
    t = await cli.startApp({ SYNC_ENABLED: 'false' });
    admin = await adminToken(t);
  });
  afterAll(async () => {
    await t.close();
    await cli.drop();
  });

  const required = (org = organizationId) => [
    '--org',
    org,
    '--name',
    'Workday',
    '--base-url',
    'https://scim.example.com/v2',
    '--token-url',
    'https://login.example.com/token',
    '--client-id',
    'orgsync-worker',
    '--client-secret',
    UPSTREAM_SECRET,
  ];
  const createConnection = (...extra: string[]) =>
    cli.json<SyncConnectionResponse>('sync', 'connections', 'create', ...required(), ...extra);
  const viaApi = async (path: string) => (await t.http().get(path).auth(admin, { type: 'bearer' })).body as unknown;
  const rowOf = (id: string) => t.app.get(DataSource).getRepository(SyncConnectionEntity).findOneByOrFail({ id });

  it('creates a connection with every option, printing what the API would, and stores the secret encrypted', async () => {
    const created = await createConnection(
      '--kind',
      'scim',
      '--auth-method',
      'client_secret_post',
      '--scope',
      'scim.read',
      '--resource',
      'https://scim.example.com',
      '--interval',
      '900',
      '--full-sync-every',
      '6',
      '--max-delete-percent',
      '5',
      '--disabled',
    );

    expect(created).toMatchObject({
      organization_id: organizationId,
      name: 'Workday',
      kind: 'scim',
      base_url: 'https://scim.example.com/v2',
      client_secret_set: true,
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'scim.read',
      resource: 'https://scim.example.com',
      interval_seconds: 900,
      full_sync_every: 6,
      max_delete_percent: 5,
      enabled: false,
      watermark: null,
      deletions_confirmed: false,
    });
    expect(created).toEqual(await viaApi(`/admin/sync-connections/${created.id}`));
    const row = await rowOf(created.id);
    expect(row.clientSecret.startsWith('v1.')).toBe(true);
    expect(t.app.get(SyncConnectionsService).credentialsOf(row).clientSecret).toBe(UPSTREAM_SECRET);
  });

  it('prints text for people, never the secret', async () => {
    const result = await cli.run('sync', 'connections', 'create', ...required());
    expect(result.code).toBe(0);
    expect(textField(result.stdout, 'client_secret_set')).toBe('true');
    expect(textField(result.stdout, 'enabled')).toBe('true');
    expect(textField(result.stdout, 'interval_seconds')).toBe('3600');
    const id = textField(result.stdout, 'id');

    const outputs = [
      result.stdout,
      result.stderr,
      (await cli.run('sync', 'connections', 'show', id)).stdout,
      (await cli.run('--json', 'sync', 'connections', 'show', id)).stdout,
      (await cli.run('sync', 'connections', 'list', '--org', organizationId)).stdout,
      (await cli.run('--json', 'sync', 'connections', 'list', '--org', organizationId)).stdout,
    ];
    const sealed = (await rowOf(id)).clientSecret;
    for (const output of outputs) {
      expect(output).not.toContain(UPSTREAM_SECRET);
      expect(output).not.toContain(sealed);
    }
  });

  it('lists an organization’s connections a page at a time, as the API does', async () => {
    const org = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Initech')).id;
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await cli.json<SyncConnectionResponse>('sync', 'connections', 'create', ...required(org)));

    const first = await cli.json<Page<SyncConnectionResponse>>('sync', 'connections', 'list', '--org', org, '--limit', '2');
    expect(first).toEqual(await viaApi(`/admin/organizations/${org}/sync-connections?limit=2`));
    const second = await cli.json<Page<SyncConnectionResponse>>(
      'sync',
      'connections',
      'list',
      '--org',
      org,
      '--cursor',
      first.next_cursor!,
    );
    expect([...first.data, ...second.data].map((c) => c.id)).toEqual(created.map((c) => c.id));
    expect(second.next_cursor).toBeNull();

    const table = await cli.run('sync', 'connections', 'list', '--org', org, '--limit', '2');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ENABLED\s+BASE_URL\s+NEXT_RUN_AT\s+FAILURES$/);
    expect(table.stderr).toContain(`More results: orgsync sync connections list --org ${org} --limit 2 --cursor `);
  });

  it('updates a connection; a new --base-url resets the watermark', async () => {
    const connection = await createConnection('--scope', 'scim.read');
    await t.app
      .get(DataSource)
      .getRepository(SyncConnectionEntity)
      .update({ id: connection.id }, { watermark: new Date('2026-01-01T00:00:00.000Z'), runsSinceFull: 4 });

    const renamed = await cli.json<SyncConnectionResponse>(
      'sync',
      'connections',
      'update',
      connection.id,
      '--name',
      'Renamed',
      '--client-secret',
      'rotated-secret',
      '--interval',
      '120',
      '--clear-scope',
      '--disabled',
    );
    expect(renamed).toMatchObject({
      name: 'Renamed',
      interval_seconds: 120,
      scope: null,
      enabled: false,
      watermark: '2026-01-01T00:00:00.000Z',
    });
    expect(t.app.get(SyncConnectionsService).credentialsOf(await rowOf(connection.id)).clientSecret).toBe('rotated-secret');

    const moved = await cli.json<SyncConnectionResponse>(
      'sync',
      'connections',
      'update',
      connection.id,
      '--base-url',
      'https://new.example.com/scim',
      '--enabled',
    );
    expect(moved).toMatchObject({ base_url: 'https://new.example.com/scim', watermark: null, enabled: true });
    expect((await rowOf(connection.id)).runsSinceFull).toBe(0);
  });

  it('confirms deletions and deletes a connection', async () => {
    const connection = await createConnection();

    const confirmed = await cli.run('--json', 'sync', 'connections', 'confirm-deletions', connection.id);
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ id: connection.id, deletions_confirmed: true });
    expect(confirmed.stderr).toContain('The next full run may delete past the circuit breaker');

    expect(await cli.run('sync', 'connections', 'delete', connection.id)).toEqual({
      code: 0,
      stdout: `Deleted sync connection ${connection.id}.\n`,
      stderr: '',
    });
    expect(await cli.run('--json', 'sync', 'connections', 'delete', connection.id)).toMatchObject({ code: 1 });
    expect(await cli.run('sync', 'connections', 'show', connection.id)).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: Sync connection ${connection.id} was not found.\n`,
    });
  });

  it('lists and shows runs newest first, as the admin API does', async () => {
    const connection = await createConnection();
    const dataSource = t.app.get(DataSource);
    const older = await insertSyncRun(dataSource, connection, { status: 'failed', error: 'upstream answered 503' });
    const newer = await insertSyncRun(dataSource, connection);

    const page = await cli.json<Page<SyncRunResponse>>('sync', 'runs', 'list', connection.id);
    expect(page.data.map((run) => run.id)).toEqual([newer.id, older.id]);
    expect(page).toEqual(await viaApi(`/admin/sync-connections/${connection.id}/runs`));
    const firstOnly = await cli.json<Page<SyncRunResponse>>('sync', 'runs', 'list', connection.id, '--limit', '1');
    const rest = await cli.json<Page<SyncRunResponse>>('sync', 'runs', 'list', connection.id, '--cursor', firstOnly.next_cursor!);
    expect([...firstOnly.data, ...rest.data].map((run) => run.id)).toEqual([newer.id, older.id]);

    const table = await cli.run('sync', 'runs', 'list', connection.id);
    const [header, first] = table.stdout.split('\n');
    expect(header).toMatch(/^ID\s+STATUS\s+TRIGGER\s+MODE\s+QUEUED_AT\s+FINISHED_AT\s+MEMBERS\s+GROUPS$/);
    expect(first).toMatch(new RegExp(`^${newer.id}\\s+succeeded\\s+schedule\\s+full\\s+\\S+\\s+\\S+\\s+\\+1 ~1 -0\\s+\\+0 ~0 -0$`));

    expect(await cli.json('sync', 'runs', 'show', older.id)).toEqual(await viaApi(`/admin/sync-runs/${older.id}`));
    const shown = await cli.run('sync', 'runs', 'show', older.id);
    expect(textField(shown.stdout, 'status')).toBe('failed');
    expect(textField(shown.stdout, 'error')).toBe('upstream answered 503');
    expect(textField(shown.stdout, 'members')).toBe('fetched 3, created 1, updated 1, deleted 0, unchanged 1');
    expect(shown.stdout).not.toContain('[object Object]');
  });

  it('reports unknown connections and runs as not found, with exit code 1', async () => {
    for (const args of [
      ['sync', 'connections', 'show', UNKNOWN_ID],
      ['sync', 'connections', 'update', UNKNOWN_ID, '--name', 'x'],
      ['sync', 'connections', 'delete', UNKNOWN_ID],
      ['sync', 'connections', 'confirm-deletions', UNKNOWN_ID],
      ['sync', 'runs', 'list', UNKNOWN_ID],
    ]) {
      expect(await cli.run(...args)).toEqual({ code: 1, stdout: '', stderr: `error: Sync connection ${UNKNOWN_ID} was not found.\n` });
    }
    expect(await cli.run('sync', 'runs', 'show', UNKNOWN_ID)).toMatchObject({
      code: 1,
      stderr: `error: Sync run ${UNKNOWN_ID} was not found.\n`,
    });
    expect((await cli.run('sync', 'connections', 'list', '--org', UNKNOWN_ID)).code).toBe(1);
  });

  describe('when used wrongly', () => {
    it.each([
      [
        'a --base-url with credentials',
        ['--base-url', 'https://u:p@scim.example.com'],
        '--base-url (base_url): base_url must not contain a user name or password',
      ],
      [
        'a --token-url that is not http',
        ['--token-url', 'ftp://login.example.com'],
        '--token-url (token_url): token_url must be an absolute http or https URL',
      ],
      ['an unknown --kind', ['--kind', 'ldap'], '--kind: kind must be one of scim'],
      [
        'a too short --interval',
        ['--interval', '30'],
        '--interval (interval_seconds): interval_seconds must be a whole number of seconds from 60 to 86400',
      ],
      [
        'a --max-delete-percent over 100',
        ['--max-delete-percent', '150'],
        '--max-delete-percent (max_delete_percent): max_delete_percent must be',
      ],
      [
        'a --full-sync-every that is not a number',
        ['--full-sync-every', 'often'],
        '--full-sync-every (full_sync_every): full_sync_every must be',
      ],
      [
        'an unknown --auth-method',
        ['--auth-method', 'private_key_jwt'],
        '--auth-method (token_endpoint_auth_method): token_endpoint_auth_method must be one of',
      ],
      ['an empty --name', ['--name', ''], '--name: name must not be empty'],
    ])('refuses %s, naming the option, and creates nothing', async (_case, options, message) => {
      const org = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Strict')).id;
      const result = await cli.run('sync', 'connections', 'create', ...required(org), ...options);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(await cli.json('sync', 'connections', 'list', '--org', org)).toEqual({ data: [], next_cursor: null });
    });

    it('names missing required options', async () => {
      const result = await cli.run('sync', 'connections', 'create', '--org', organizationId, '--name', 'x');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("required option '--base-url <url>' not specified");
    });

    it('refuses an update that changes nothing, and contradictory options', async () => {
      expect(await cli.run('sync', 'connections', 'update', UNKNOWN_ID)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('nothing to change'),
      });
      for (const pair of [
        ['--enabled', '--disabled'],
        ['--scope', 'a', '--clear-scope'],
        ['--resource', 'https://r.example.com', '--clear-resource'],
      ]) {
        const result = await cli.run('sync', 'connections', 'update', UNKNOWN_ID, ...pair);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('cannot be used with');
      }
    });

    it('explains itself with --help, without a configuration', async () => {
      const help = await cli.run('sync', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/connections\s+create, list, show, change and delete sync\s+connections/);
      expect(help.stdout).toMatch(/run \[options\] <connection_id>\s+queue a run/);
      expect(help.stdout).toMatch(/runs\s+list and show/);
      const create = await cli.run('sync', 'connections', 'create', '--help');
      expect(create.stdout).toContain('--client-secret <secret>');
      expect(create.stdout).toContain('client_secret_post');
    });
  });
});

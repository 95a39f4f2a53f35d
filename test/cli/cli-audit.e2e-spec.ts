import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity.js';
import { AuditEventIds } from '../../src/audit/audit-event-id.js';
import type { AuditEventResponse } from '../../src/audit/dto/audit-event.response.js';
import type { ClientWithSecretResponse } from '../../src/clients/dto/client.response.js';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import { obtainToken } from '../support/factories.js';
import { type CliHarness, createCliHarness, textField } from './cli-harness.js';

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

const DAY = 86_400_000;

describe('orgsync audit', () => {
  let cli: CliHarness;
  let organization: OrganizationResponse;
  let client: ClientWithSecretResponse;

  beforeAll(async () => {
    cli = await createCliHarness();
    // Each CLI run is a process of its own that closes straight after its command: its events must be written by then.
    organization = await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Audited from the shell');
    client = await cli.json<ClientWithSecretResponse>(
      'clients',
      'create',
      '--org',
      organization.id,
      '--name',
      'Partner',
      '--scope',
      'org:read',
    );
    const t = await cli.startApp();
    try {
      await obtainToken(t, client.client_id, client.client_secret!);
    } finally {
      await t.close();
    }
  });
  afterAll(() => cli.drop());

  it('lists changes made on the command line, with no client as actor and via cli', async () => {
    const page = await cli.json<Page<AuditEventResponse>>('audit', 'list', '--org', organization.id, '--action-prefix', 'client.');

    expect(page.data).toEqual([
      expect.objectContaining({
        action: 'client.created',
        client_id: null,
        organization_id: organization.id,
        target: { type: 'client', id: client.client_id },
        source_address: null,
        details: expect.objectContaining({ via: 'cli' }),
      }),
    ]);
  });

  it('filters by acting client and never shows the secret', async () => {
    const result = await cli.run('--json', 'audit', 'list', '--client', client.client_id);

    expect(result.code).toBe(0);
    const page = JSON.parse(result.stdout) as Page<AuditEventResponse>;
    expect(page.data.map((event) => [event.action, event.client_id])).toEqual([['token.issued', client.client_id]]);
    expect(result.stdout).not.toContain(client.client_secret);
  });

  it('prints a table for people, with the command for the next page', async () => {
    const result = await cli.run('audit', 'list', '--org', organization.id, '--limit', '1');

    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^OCCURRED_AT\s+ACTION\s+OUTCOME\s+CLIENT\s+ORGANIZATION\s+TARGET\s+SOURCE$/);
    expect(result.stdout).toContain('token.issued');
    expect(result.stderr).toMatch(new RegExp(`More results: orgsync audit list --org ${organization.id} --limit 1 --cursor \\S+`));
  });

  it('follows a cursor to the next page, and refuses one issued for other filters', async () => {
    const first = await cli.json<Page<AuditEventResponse>>('audit', 'list', '--org', organization.id, '--limit', '1');
    const second = await cli.json<Page<AuditEventResponse>>(
      'audit',
      'list',
      '--org',
      organization.id,
      '--limit',
      '1',
      '--cursor',
      first.next_cursor!,
    );
    expect(second.data[0]!.id < first.data[0]!.id).toBe(true);

    const foreign = await cli.run('audit', 'list', '--limit', '1', '--cursor', first.next_cursor!);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('--cursor');
  });

  it.each([
    [['--limit', '0'], '--limit'],
    [['--outcome', 'maybe'], 'outcome'],
    [['--since', 'last week'], 'since'],
  ])('refuses %j as a usage error', async (args, field) => {
    const result = await cli.run('audit', 'list', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(field);
  });

  it('prunes events older than AUDIT_RETENTION_DAYS and audits the pruning', async () => {
    const t = await cli.startApp();
    const ids = new AuditEventIds();
    const old = [100, 95].map((daysAgo) => oldEvent(ids, new Date(Date.now() - daysAgo * DAY)));
    try {
      await t.app.get(DataSource).getRepository(AuditEventEntity).insert(old);
    } finally {
      await t.close();
    }

    const result = await cli.run('audit', 'prune');

    expect(result.code).toBe(0);
    expect(textField(result.stdout, 'deleted')).toBe('2');
    expect((await cli.json<Page<AuditEventResponse>>('audit', 'list', '--action', 'test.old')).data).toEqual([]);
    const [pruned] = (await cli.json<Page<AuditEventResponse>>('audit', 'list', '--action', 'audit.pruned')).data;
    expect(pruned).toMatchObject({ client_id: null, details: { deleted: 2, via: 'cli' } });
  });
});

function oldEvent(ids: AuditEventIds, occurredAt: Date): AuditEventEntity {
  return Object.assign(new AuditEventEntity(), {
    id: ids.next(occurredAt),
    occurredAt,
    action: 'test.old',
    outcome: 'success' as const,
    clientId: null,
    organizationId: null,
    targetType: null,
    targetId: null,
    sourceAddress: null,
    requestId: null,
    details: '{}',
  });
}

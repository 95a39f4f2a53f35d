import type { Command } from 'commander';
import { DEFAULT_FOLLOW_TIMINGS } from '../../src/cli/cli-session.js';
import { buildProgram } from '../../src/cli/run-cli.js';
import type { ClientResponse } from '../../src/clients/dto/client.response.js';
import type { OrganizationResponse } from '../../src/organizations/dto/organization.response.js';
import type { SyncConnectionResponse } from '../../src/sync/connections/dto/sync-connection.response.js';
import { UPSTREAM_SECRET } from '../support/sync-factories.js';
import { type CliHarness, createCliHarness, runOrgsync } from './cli-harness.js';

interface Node {
  readonly path: string[];
  readonly command: Command;
}

/** Every command of the tree, the program itself included, with the words that reach it. */
function walk(command: Command, path: string[] = []): Node[] {
  return [{ path, command }, ...command.commands.flatMap((child) => walk(child, [...path, child.name()]))];
}

const silent = { write: () => true };
const tree = walk(buildProgram({}, { stdout: silent, stderr: silent }, { cwd: '/', follow: DEFAULT_FOLLOW_TIMINGS, interrupts: process }));

describe('orgsync --help, on every command', () => {
  it('finds the whole tree, the new commands included', () => {
    const paths = tree.map((node) => node.path.join(' '));
    expect(paths).toEqual(expect.arrayContaining(['doctor', 'sync run', 'sync runs list', 'clients secrets revoke', 'audit prune']));
    expect(tree.length).toBeGreaterThan(30);
  });

  it.each(tree.map((node) => [node.path.join(' ') || '(orgsync)', node] as const))(
    '%s: --help exits 0 with a usage line, a description and every option, without any configuration',
    async (_name, { path, command }) => {
      const help = await runOrgsync([...path, '--help'], {});
      expect(help.code).toBe(0);
      expect(help.stderr).toBe('');
      expect(help.stdout).toMatch(new RegExp(`^Usage: ${['orgsync', ...path].join(' ')}( |$)`, 'm'));
      expect(command.description().length).toBeGreaterThan(10);
      expect(help.stdout).toContain(command.description().slice(0, 40));
      for (const option of command.options) {
        expect(option.description.length).toBeGreaterThan(5);
        expect(help.stdout).toContain(option.flags);
      }
      for (const child of command.commands) expect(help.stdout).toContain(child.name());
    },
  );
});

describe('orgsync, used wrongly at the top of the tree', () => {
  it.each([
    [['explode'], "error: unknown command 'explode'"],
    [['--colour'], "error: unknown option '--colour'"],
    [['doctor', '--fix'], "error: unknown option '--fix'"],
    [['sync', 'run'], "error: missing required argument 'connection_id'"],
    [['sync', 'run', 'a', 'b'], 'error: too many arguments'],
  ])('orgsync %j exits 2 with a one-line error and a pointer to --help', async (args, message) => {
    const result = await runOrgsync(args, {});
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toContain(message);
    expect(result.stderr).toContain('(add --help for usage)');
  });

  it('prints the usage, as an error, when a group is called without a command', async () => {
    for (const args of [[], ['sync'], ['clients', 'secrets']]) {
      const result = await runOrgsync(args, {});
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^Usage: orgsync/);
    }
  });
});

describe('every list command', () => {
  let cli: CliHarness;
  let args: Record<string, string[]>;

  beforeAll(async () => {
    cli = await createCliHarness();
    const org = (await cli.json<OrganizationResponse>('orgs', 'create', '--name', 'Acme Corp')).id;
    const client = (await cli.json<ClientResponse>('clients', 'create', '--org', org, '--name', 'Partner', '--scope', 'org:read'))
      .client_id;
    const connection = await cli.json<SyncConnectionResponse>(
      ...['sync', 'connections', 'create', '--org', org, '--name', 'HR', '--base-url', 'https://idp.example.com/scim'],
      ...['--token-url', 'https://idp.example.com/token', '--client-id', 'orgsync', '--client-secret', UPSTREAM_SECRET],
    );
    args = {
      'orgs list': [],
      'clients list': ['--org', org],
      'clients secrets list': [client],
      'keys list': [],
      'sync connections list': ['--org', org],
      'sync runs list': [connection.id],
      'audit list': [],
    };
  });
  afterAll(() => cli.drop());

  it('is known here, so a new one cannot skip the table and --json', () => {
    const lists = tree.filter((node) => node.path.at(-1) === 'list').map((node) => node.path.join(' '));
    expect(lists.sort()).toEqual(Object.keys(args).sort());
  });

  it('prints a table with a header line for people and {data} JSON with --json', async () => {
    for (const [path, extra] of Object.entries(args)) {
      const text = await cli.run(...path.split(' '), ...extra);
      expect({ path, code: text.code }).toEqual({ path, code: 0 });
      expect({ path, header: text.stdout.split('\n')[0] }).toEqual({ path, header: expect.stringMatching(/^[A-Z_]+( {2,}[A-Z_]+)+$/) });
      const json = await cli.run('--json', ...path.split(' '), ...extra);
      expect({ path, data: Array.isArray((JSON.parse(json.stdout) as { data: unknown }).data) }).toEqual({ path, data: true });
    }
  });
});

import { type Command, Option } from 'commander';
import { ClientsService } from '../../clients/clients.service.js';
import { type ClientResponse, toClientResponse, toClientWithSecretResponse } from '../../clients/dto/client.response.js';
import { CreateClientDto, toCreateClient } from '../../clients/dto/create-client.dto.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { jsonNumber, validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import type { Column } from '../output.js';
import { registerClientChangeCommands } from './client-changes.commands.js';
import { registerClientSecretCommands } from './client-secrets.commands.js';
import { CLIENT_OPTION_HELP, readJwksFile } from './client-options.js';

const CLIENT_COLUMNS: readonly Column<ClientResponse>[] = [
  { header: 'CLIENT_ID', value: (client) => client.client_id },
  { header: 'NAME', value: (client) => client.client_name },
  { header: 'STATUS', value: (client) => client.status },
  { header: 'SCOPE', value: (client) => client.scope },
];

interface CreateOptions {
  org: string;
  name: string;
  scope: string;
  defaultScope?: string;
  authMethod?: string;
  accessTokenTtl?: number | string;
  introspectionAllowed?: true;
  jwksFile?: string;
  jwksUri?: string;
}

/** `orgsync clients ...`: the operations of /admin/organizations/:id/clients and /admin/clients. */
export function registerClientCommands(program: Command, session: CliSession): void {
  const clients = program.command('clients').description('register and manage OAuth clients, rotate their secrets');

  clients
    .command('create')
    .description('register a client of an organization; its secret is printed this once and never again')
    .requiredOption('--org <id>', 'the organization the client acts for')
    .requiredOption('--name <name>', CLIENT_OPTION_HELP.name)
    .requiredOption('--scope <scopes>', CLIENT_OPTION_HELP.scope)
    .option('--default-scope <scopes>', `${CLIENT_OPTION_HELP.defaultScope} (default: all of --scope)`)
    .option('--auth-method <method>', `${CLIENT_OPTION_HELP.authMethod} (default: client_secret_basic)`)
    .addOption(
      new Option('--access-token-ttl <seconds>', `${CLIENT_OPTION_HELP.accessTokenTtl} (default: the server's ACCESS_TOKEN_TTL)`).argParser(
        jsonNumber,
      ),
    )
    .option('--introspection-allowed', `${CLIENT_OPTION_HELP.introspectionAllowed} (default: not allowed)`)
    .addOption(new Option('--jwks-file <path>', CLIENT_OPTION_HELP.jwksFile).conflicts('jwksUri'))
    .option('--jwks-uri <url>', CLIENT_OPTION_HELP.jwksUri)
    .action((options: CreateOptions) => createClient(session, options));

  clients
    .command('list')
    .description("list an organization's clients, one page at a time")
    .requiredOption('--org <id>', 'organization id')
    .option('--limit <n>', 'page size, 1 to 200 (default: 50)')
    .option('--cursor <cursor>', 'the cursor printed with the previous page')
    .action(async (options: { org: string; limit?: string; cursor?: string }) => {
      const query = await validated(PageQueryDto, { limit: options.limit, cursor: options.cursor }, 'query');
      const page = await session.withServices((app) => app.get(ClientsService).listByOrganization(options.org, query.limit, query.cursor));
      const response = { data: page.data.map(toClientResponse), next_cursor: page.nextCursor };
      session.output().page(response, CLIENT_COLUMNS, `orgsync clients list --org ${options.org} --limit ${query.limit}`);
    });

  clients
    .command('show')
    .description("print one client's settings (never its secret)")
    .argument('<client_id>', 'client id')
    .action(async (clientId: string) => {
      const client = await session.withServices((app) => app.get(ClientsService).get(clientId));
      session.output().record(toClientResponse(client));
    });

  registerClientChangeCommands(clients, session);
  registerClientSecretCommands(clients, session);
}

async function createClient(session: CliSession, options: CreateOptions): Promise<void> {
  const dto = await validated(CreateClientDto, {
    client_name: options.name,
    scope: options.scope,
    default_scope: options.defaultScope,
    token_endpoint_auth_method: options.authMethod,
    access_token_ttl: options.accessTokenTtl,
    introspection_allowed: options.introspectionAllowed,
    jwks: await readJwksFile(options.jwksFile),
    jwks_uri: options.jwksUri,
  });
  const { client, clientSecret } = await session.withServices((app) => app.get(ClientsService).create(options.org, toCreateClient(dto)));
  const output = session.output();
  output.record(toClientWithSecretResponse(client, clientSecret));
  // A private_key_jwt client authenticates with its own keys: there is no secret to keep.
  if (clientSecret === undefined) return;
  output.note(
    'Store the client secret now: it cannot be shown again, because orgsync keeps only a hash of it.\n' +
      `If it is lost, issue a new one with: orgsync clients rotate-secret ${client.clientId}`,
  );
}

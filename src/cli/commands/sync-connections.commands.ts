import { type Command, Option } from 'commander';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { CreateSyncConnectionDto, toCreateSyncConnection } from '../../sync/connections/dto/create-sync-connection.dto.js';
import { type SyncConnectionResponse, toSyncConnectionResponse } from '../../sync/connections/dto/sync-connection.response.js';
import { SyncConnectionsService } from '../../sync/connections/sync-connections.service.js';
import { jsonNumber, validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import type { Column } from '../output.js';
import { SYNC_OPTION_HELP as HELP, validatedSyncInput } from './sync-options.js';

const CONNECTION_COLUMNS: readonly Column<SyncConnectionResponse>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'NAME', value: (c) => c.name },
  { header: 'ENABLED', value: (c) => c.enabled },
  { header: 'BASE_URL', value: (c) => c.base_url },
  { header: 'NEXT_RUN_AT', value: (c) => c.next_run_at },
  { header: 'FAILURES', value: (c) => c.consecutive_failures },
];

interface CreateOptions {
  org: string;
  name: string;
  kind?: string;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  authMethod?: string;
  scope?: string;
  resource?: string;
  interval?: number | string;
  fullSyncEvery?: number | string;
  maxDeletePercent?: number | string;
  disabled?: true;
}

/** `orgsync sync connections create|list|show`. */
export function registerSyncConnectionCommands(connections: Command, session: CliSession): void {
  connections
    .command('create')
    .description("connect an organization to an upstream; the connection's first run is due at once")
    .requiredOption('--org <id>', 'the organization whose people and groups the connection syncs')
    .requiredOption('--name <name>', HELP.name)
    .option('--kind <kind>', `${HELP.kind} (default: scim)`)
    .requiredOption('--base-url <url>', HELP.baseUrl)
    .requiredOption('--token-url <url>', HELP.tokenUrl)
    .requiredOption('--client-id <id>', HELP.clientId)
    .requiredOption('--client-secret <secret>', HELP.clientSecret)
    .option('--auth-method <method>', `${HELP.authMethod} (default: client_secret_basic)`)
    .option('--scope <scopes>', HELP.scope)
    .option('--resource <url>', HELP.resource)
    .addOption(new Option('--interval <seconds>', `${HELP.interval} (default: 3600)`).argParser(jsonNumber))
    .addOption(new Option('--full-sync-every <runs>', `${HELP.fullSyncEvery} (default: 24)`).argParser(jsonNumber))
    .addOption(new Option('--max-delete-percent <percent>', `${HELP.maxDeletePercent} (default: 20)`).argParser(jsonNumber))
    .option('--disabled', 'create it disabled: it does not run until enabled')
    .action((options: CreateOptions) => createConnection(session, options));

  connections
    .command('list')
    .description("list an organization's sync connections, one page at a time")
    .requiredOption('--org <id>', 'organization id')
    .option('--limit <n>', 'page size, 1 to 200 (default: 50)')
    .option('--cursor <cursor>', 'the cursor printed with the previous page')
    .action(async (options: { org: string; limit?: string; cursor?: string }) => {
      const query = await validated(PageQueryDto, { limit: options.limit, cursor: options.cursor }, 'query');
      const page = await session.withServices((app) =>
        app.get(SyncConnectionsService).listByOrganization(options.org, query.limit, query.cursor),
      );
      const response = { data: page.data.map(toSyncConnectionResponse), next_cursor: page.nextCursor };
      session.output().page(response, CONNECTION_COLUMNS, `orgsync sync connections list --org ${options.org} --limit ${query.limit}`);
    });

  connections
    .command('show')
    .description("print one sync connection's settings and state (never its client secret)")
    .argument('<id>', 'sync connection id')
    .action(async (id: string) => {
      const connection = await session.withServices((app) => app.get(SyncConnectionsService).get(id));
      session.output().record(toSyncConnectionResponse(connection));
    });
}

async function createConnection(session: CliSession, options: CreateOptions): Promise<void> {
  const dto = await validatedSyncInput(CreateSyncConnectionDto, {
    name: options.name,
    kind: options.kind,
    base_url: options.baseUrl,
    token_url: options.tokenUrl,
    client_id: options.clientId,
    client_secret: options.clientSecret,
    token_endpoint_auth_method: options.authMethod,
    scope: options.scope,
    resource: options.resource,
    interval_seconds: options.interval,
    full_sync_every: options.fullSyncEvery,
    max_delete_percent: options.maxDeletePercent,
    enabled: options.disabled ? false : undefined,
  });
  const connection = await session.withServices((app) => app.get(SyncConnectionsService).create(options.org, toCreateSyncConnection(dto)));
  session.output().record(toSyncConnectionResponse(connection));
}

import { type Command, Option } from 'commander';
import { toSyncConnectionResponse } from '../../sync/connections/dto/sync-connection.response.js';
import { toSyncConnectionChanges, UpdateSyncConnectionDto } from '../../sync/connections/dto/update-sync-connection.dto.js';
import { SyncConnectionsService } from '../../sync/connections/sync-connections.service.js';
import { UsageError } from '../cli-errors.js';
import { anyGiven, jsonNumber } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import { SYNC_OPTION_HELP as HELP, validatedSyncInput } from './sync-options.js';

interface UpdateOptions {
  name?: string;
  kind?: string;
  baseUrl?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  authMethod?: string;
  scope?: string;
  clearScope?: true;
  resource?: string;
  clearResource?: true;
  interval?: number | string;
  fullSyncEvery?: number | string;
  maxDeletePercent?: number | string;
  enabled?: true;
  disabled?: true;
}

/** `orgsync sync connections update|delete|confirm-deletions`. */
export function registerSyncConnectionChangeCommands(connections: Command, session: CliSession): void {
  connections
    .command('update')
    .description("change a sync connection's settings; options not given stay as they are")
    .argument('<id>', 'sync connection id')
    .option('--name <name>', HELP.name)
    .option('--kind <kind>', HELP.kind)
    .option('--base-url <url>', `${HELP.baseUrl}; a new one resets the watermark, so the next run is a full listing`)
    .option('--token-url <url>', HELP.tokenUrl)
    .option('--client-id <id>', HELP.clientId)
    .option('--client-secret <secret>', HELP.clientSecret)
    .option('--auth-method <method>', HELP.authMethod)
    .option('--scope <scopes>', HELP.scope)
    .addOption(new Option('--clear-scope', 'request no scope from the upstream').conflicts('scope'))
    .option('--resource <url>', HELP.resource)
    .addOption(new Option('--clear-resource', 'send no resource indicator').conflicts('resource'))
    .addOption(new Option('--interval <seconds>', HELP.interval).argParser(jsonNumber))
    .addOption(new Option('--full-sync-every <runs>', HELP.fullSyncEvery).argParser(jsonNumber))
    .addOption(new Option('--max-delete-percent <percent>', HELP.maxDeletePercent).argParser(jsonNumber))
    .option('--enabled', 'run on schedule again')
    .addOption(new Option('--disabled', 'stop running on schedule').conflicts('enabled'))
    .action((id: string, options: UpdateOptions) => updateConnection(session, id, options));

  connections
    .command('delete')
    .description('delete a sync connection: it stops running; the people and groups it synced stay')
    .argument('<id>', 'sync connection id')
    .action(async (id: string) => {
      await session.withServices((app) => app.get(SyncConnectionsService).delete(id));
      session.output().done(`Deleted sync connection ${id}.`);
    });

  connections
    .command('confirm-deletions')
    .description('let the next full run delete past the --max-delete-percent circuit breaker, once')
    .argument('<id>', 'sync connection id')
    .action(async (id: string) => {
      const connection = await session.withServices((app) => app.get(SyncConnectionsService).confirmDeletions(id));
      const output = session.output();
      output.record(toSyncConnectionResponse(connection));
      output.note('The next full run may delete past the circuit breaker; the confirmation is used up by that run.');
    });
}

async function updateConnection(session: CliSession, id: string, options: UpdateOptions): Promise<void> {
  const input = {
    name: options.name,
    kind: options.kind,
    base_url: options.baseUrl,
    token_url: options.tokenUrl,
    client_id: options.clientId,
    client_secret: options.clientSecret,
    token_endpoint_auth_method: options.authMethod,
    // As in the API, null clears them.
    scope: options.clearScope ? null : options.scope,
    resource: options.clearResource ? null : options.resource,
    interval_seconds: options.interval,
    full_sync_every: options.fullSyncEvery,
    max_delete_percent: options.maxDeletePercent,
    enabled: options.enabled ? true : options.disabled ? false : undefined,
  };
  if (!anyGiven(input)) throw new UsageError('nothing to change: give at least one option (see orgsync sync connections update --help)');
  const dto = await validatedSyncInput(UpdateSyncConnectionDto, input);
  const connection = await session.withServices((app) => app.get(SyncConnectionsService).update(id, toSyncConnectionChanges(dto)));
  session.output().record(toSyncConnectionResponse(connection));
}

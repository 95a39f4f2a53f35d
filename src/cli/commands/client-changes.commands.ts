import { type Command, Option } from 'commander';
import { CLIENT_STATUSES } from '../../clients/client.entity.js';
import { ClientsService } from '../../clients/clients.service.js';
import { toClientResponse, toRotatedSecretResponse } from '../../clients/dto/client.response.js';
import { DEFAULT_SECRET_GRACE_PERIOD, MAX_SECRET_GRACE_PERIOD, RotateSecretDto } from '../../clients/dto/rotate-secret.dto.js';
import { UpdateClientDto, toUpdateClient } from '../../clients/dto/update-client.dto.js';
import { UsageError } from '../cli-errors.js';
import { anyGiven, jsonNumber, validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import { CLIENT_OPTION_HELP } from './client-options.js';

interface UpdateOptions {
  name?: string;
  scope?: string;
  defaultScope?: string;
  authMethod?: string;
  accessTokenTtl?: number | string;
  defaultAccessTokenTtl?: true;
  status?: string;
}

/** The `clients` commands that change an existing client: update, delete, rotate-secret. */
export function registerClientChangeCommands(clients: Command, session: CliSession): void {
  clients
    .command('update')
    .description("change a client's settings; options not given stay as they are")
    .argument('<client_id>', 'client id')
    .option('--name <name>', CLIENT_OPTION_HELP.name)
    .option('--scope <scopes>', `${CLIENT_OPTION_HELP.scope}; default scopes outside it are dropped unless --default-scope is given`)
    .option('--default-scope <scopes>', CLIENT_OPTION_HELP.defaultScope)
    .option('--auth-method <method>', CLIENT_OPTION_HELP.authMethod)
    .addOption(new Option('--access-token-ttl <seconds>', CLIENT_OPTION_HELP.accessTokenTtl).argParser(jsonNumber))
    .addOption(new Option('--default-access-token-ttl', "use the server's ACCESS_TOKEN_TTL again").conflicts('accessTokenTtl'))
    .option(
      '--status <status>',
      `${CLIENT_STATUSES.join(' or ')}; a disabled client can no longer obtain tokens and its tokens stop being accepted`,
    )
    .action((clientId: string, options: UpdateOptions) => updateClient(session, clientId, options));

  clients
    .command('delete')
    .description('delete a client: it can no longer obtain tokens, and its tokens stop being accepted')
    .argument('<client_id>', 'client id')
    .action(async (clientId: string) => {
      await session.withServices((app) => app.get(ClientsService).delete(clientId));
      session.output().done(`Deleted client ${clientId}.`);
    });

  clients
    .command('rotate-secret')
    .description('issue a new client secret, printed this once; the previous secrets keep working for a grace period')
    .argument('<client_id>', 'client id')
    .addOption(
      new Option(
        '--grace-period <seconds>',
        `how long the previous secrets keep working, 0 to ${MAX_SECRET_GRACE_PERIOD} seconds; 0 ends them at once, as for a leaked secret (default: ${DEFAULT_SECRET_GRACE_PERIOD})`,
      ).argParser(jsonNumber),
    )
    .action((clientId: string, options: { gracePeriod?: number | string }) => rotateSecret(session, clientId, options.gracePeriod));
}

async function updateClient(session: CliSession, clientId: string, options: UpdateOptions): Promise<void> {
  const input = {
    client_name: options.name,
    scope: options.scope,
    default_scope: options.defaultScope,
    token_endpoint_auth_method: options.authMethod,
    // As in the API, null returns the client to the server default.
    access_token_ttl: options.defaultAccessTokenTtl ? null : options.accessTokenTtl,
    status: options.status,
  };
  if (!anyGiven(input)) throw new UsageError('nothing to change: give at least one option (see orgsync clients update --help)');
  const dto = await validated(UpdateClientDto, input);
  const client = await session.withServices((app) => app.get(ClientsService).update(clientId, toUpdateClient(dto)));
  session.output().record(toClientResponse(client));
}

async function rotateSecret(session: CliSession, clientId: string, gracePeriod: number | string | undefined): Promise<void> {
  const dto = await validated(RotateSecretDto, { grace_period_seconds: gracePeriod });
  const rotated = await session.withServices((app) => app.get(ClientsService).rotateSecret(clientId, dto.grace_period_seconds));
  const response = toRotatedSecretResponse(rotated);
  const output = session.output();
  output.record(response);
  output.note(
    'Store the new client secret now: it cannot be shown again.\n' +
      (dto.grace_period_seconds === 0
        ? 'The previous secrets no longer work.'
        : `The previous secrets keep working until ${response.previous_secrets_expire_at}.`),
  );
}

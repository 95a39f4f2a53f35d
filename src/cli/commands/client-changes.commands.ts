import { type Command, Option } from 'commander';
import { CLIENT_STATUSES } from '../../clients/client.entity.js';
import { ClientsService } from '../../clients/clients.service.js';
import { toClientResponse } from '../../clients/dto/client.response.js';
import { UpdateClientDto, toUpdateClient } from '../../clients/dto/update-client.dto.js';
import { UsageError } from '../cli-errors.js';
import { anyGiven, jsonNumber, validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import { CLIENT_OPTION_HELP, readJwksFile } from './client-options.js';

interface UpdateOptions {
  name?: string;
  scope?: string;
  defaultScope?: string;
  authMethod?: string;
  accessTokenTtl?: number | string;
  defaultAccessTokenTtl?: true;
  status?: string;
  /** Commander sets it from --introspection-allowed (true) or --no-introspection-allowed (false); absent, unchanged. */
  introspectionAllowed?: boolean;
  jwksFile?: string;
  jwksUri?: string;
  removeKeys?: true;
}

/** The `clients` commands that change an existing client: update, delete (its secrets: client-secrets.commands.ts). */
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
    .option('--introspection-allowed', CLIENT_OPTION_HELP.introspectionAllowed)
    .option('--no-introspection-allowed', 'take the introspection permission away')
    .addOption(new Option('--jwks-file <path>', `${CLIENT_OPTION_HELP.jwksFile}; replaces a registered jwks_uri`).conflicts('jwksUri'))
    .option('--jwks-uri <url>', `${CLIENT_OPTION_HELP.jwksUri}; replaces registered keys`)
    .addOption(
      new Option('--remove-keys', 'remove the registered jwks or jwks_uri (a private_key_jwt client needs them)').conflicts([
        'jwksFile',
        'jwksUri',
      ]),
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
    introspection_allowed: options.introspectionAllowed,
    // As in the API, null removes the keys; setting one of jwks and jwks_uri removes the other.
    jwks: options.removeKeys ? null : await readJwksFile(options.jwksFile),
    jwks_uri: options.removeKeys ? null : options.jwksUri,
  };
  if (!anyGiven(input)) throw new UsageError('nothing to change: give at least one option (see orgsync clients update --help)');
  const dto = await validated(UpdateClientDto, input);
  const client = await session.withServices((app) => app.get(ClientsService).update(clientId, toUpdateClient(dto)));
  session.output().record(toClientResponse(client));
}

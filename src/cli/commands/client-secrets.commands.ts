import { type Command, Option } from 'commander';
import { Clock } from '../../common/clock.js';
import { ClientSecretsService } from '../../clients/secrets/client-secrets.service.js';
import {
  AddClientSecretDto,
  DEFAULT_ROTATION_GRACE_PERIOD,
  ExpireClientSecretDto,
  MAX_SECRET_GRACE_PERIOD,
  MAX_SECRET_LIFETIME,
} from '../../clients/secrets/dto/client-secret-requests.dto.js';
import {
  type ClientSecretResponse,
  type CreatedClientSecretResponse,
  toClientSecretResponse,
  toCreatedClientSecretResponse,
} from '../../clients/secrets/dto/client-secret.response.js';
import { jsonNumber, validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import type { Column } from '../output.js';

const SECRET_COLUMNS: readonly Column<ClientSecretResponse>[] = [
  { header: 'ID', value: (secret) => secret.id },
  { header: 'HINT', value: (secret) => secret.hint },
  { header: 'STATUS', value: (secret) => secret.status },
  { header: 'CREATED_AT', value: (secret) => secret.created_at },
  { header: 'EXPIRES_AT', value: (secret) => secret.expires_at },
  { header: 'LAST_USED_AT', value: (secret) => secret.last_used_at },
];

const GRACE_HELP = `0 to ${MAX_SECRET_GRACE_PERIOD} seconds; 0 ends them at once, as for a leaked secret`;
const FORCE_HELP = "end the client's last live secret even though that locks the client out";
const seconds = (flags: string, help: string) => new Option(flags, help).argParser(jsonNumber);

/** `orgsync clients secrets ...` and `orgsync clients rotate-secret`: the operations of /admin/clients/:id/secrets. */
export function registerClientSecretCommands(clients: Command, session: CliSession): void {
  const secrets = clients.command('secrets').description("list, add, expire and revoke a client's secrets (several may be live at once)");

  secrets
    .command('list')
    .description("list a client's secrets: live ones, and those that ended in the last 30 days (never the secrets themselves)")
    .argument('<client_id>', 'client id')
    .action(async (clientId: string) => {
      const listed = await session.withServices(async (app) => {
        const now = app.get(Clock).now();
        return (await app.get(ClientSecretsService).list(clientId)).map((secret) => toClientSecretResponse(secret, now));
      });
      session.output().list(listed, SECRET_COLUMNS);
    });

  secrets
    .command('add')
    .description('issue a new secret beside the existing ones, printed this once')
    .argument('<client_id>', 'client id')
    .addOption(seconds('--expires-in <seconds>', `the new secret's own lifetime, 1 to ${MAX_SECRET_LIFETIME} seconds (default: no expiry)`))
    .addOption(
      seconds('--grace-period <seconds>', `also end the other secrets after this, ${GRACE_HELP} (default: leave them as they are)`),
    )
    .action((clientId: string, options: { expiresIn?: number | string; gracePeriod?: number | string }) =>
      addSecret(session, clientId, options.expiresIn, options.gracePeriod),
    );

  secrets
    .command('expire')
    .description('set a secret to stop working after a grace period')
    .argument('<client_id>', 'client id')
    .argument('<secret_id>', 'secret id (see orgsync clients secrets list)')
    .addOption(seconds('--grace-period <seconds>', `how long it keeps working, ${GRACE_HELP}`).makeOptionMandatory())
    .option('--force', FORCE_HELP)
    .action(async (clientId: string, secretId: string, options: { gracePeriod: number | string; force?: true }) => {
      const dto = await validated(ExpireClientSecretDto, { grace_period_seconds: options.gracePeriod });
      const response = await session.withServices(async (app) => {
        const secret = await app.get(ClientSecretsService).expire(clientId, secretId, dto.grace_period_seconds, options.force === true);
        return toClientSecretResponse(secret, app.get(Clock).now());
      });
      session.output().record(response);
    });

  secrets
    .command('revoke')
    .description('end a secret at once: it is refused from now on, like a wrong one')
    .argument('<client_id>', 'client id')
    .argument('<secret_id>', 'secret id (see orgsync clients secrets list)')
    .option('--force', FORCE_HELP)
    .action(async (clientId: string, secretId: string, options: { force?: true }) => {
      await session.withServices((app) => app.get(ClientSecretsService).revoke(clientId, secretId, options.force === true));
      session.output().done(`Revoked secret ${secretId} of client ${clientId}.`);
    });

  clients
    .command('rotate-secret')
    .description('issue a new client secret, printed this once; the previous secrets keep working for a grace period')
    .argument('<client_id>', 'client id')
    .addOption(
      seconds(
        '--grace-period <seconds>',
        `how long the previous secrets keep working, ${GRACE_HELP} (default: ${DEFAULT_ROTATION_GRACE_PERIOD})`,
      ),
    )
    .action((clientId: string, options: { gracePeriod?: number | string }) =>
      addSecret(session, clientId, undefined, options.gracePeriod ?? DEFAULT_ROTATION_GRACE_PERIOD),
    );
}

async function addSecret(
  session: CliSession,
  clientId: string,
  expiresIn: number | string | undefined,
  gracePeriod: number | string | undefined,
): Promise<void> {
  const dto = await validated(AddClientSecretDto, { expires_in: expiresIn, grace_period_seconds: gracePeriod });
  const response = await session.withServices(async (app) => {
    const added = await app
      .get(ClientSecretsService)
      .add(clientId, { expiresInSeconds: dto.expires_in, gracePeriodSeconds: dto.grace_period_seconds });
    return toCreatedClientSecretResponse(added.secret, added.clientSecret, added.previousSecretsExpireAt, app.get(Clock).now());
  });
  const output = session.output();
  output.record(response);
  output.note(`Store the new client secret now: it cannot be shown again.\n${previousSecretsNote(response)}`);
}

function previousSecretsNote(response: CreatedClientSecretResponse): string {
  const expiresAt = response.previous_secrets_expire_at;
  if (expiresAt === null) return 'The other secrets keep working; end them with orgsync clients secrets expire or revoke.';
  return Date.parse(expiresAt) <= Date.parse(response.created_at)
    ? 'The previous secrets no longer work.'
    : `The previous secrets keep working until ${expiresAt}.`;
}

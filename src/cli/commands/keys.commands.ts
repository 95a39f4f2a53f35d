import type { Command } from 'commander';
import { RETIRED_KEY_PUBLISH_SECONDS, SigningKeysService } from '../../oauth/keys/signing-keys.service.js';
import { type SigningKeyResponse, toSigningKeyResponse } from '../../oauth/keys/dto/signing-key.response.js';
import type { CliSession } from '../cli-session.js';
import type { Column } from '../output.js';

// The same shape as GET /admin/signing-keys.
const KEY_COLUMNS: readonly Column<SigningKeyResponse>[] = [
  { header: 'KID', value: (key) => key.kid },
  { header: 'ALG', value: (key) => key.alg },
  { header: 'STATUS', value: (key) => key.status },
  { header: 'CREATED_AT', value: (key) => key.created_at },
  { header: 'RETIRED_AT', value: (key) => key.retired_at },
];

/** `orgsync keys ...`: the JWT signing keys behind /oauth/jwks. */
export function registerKeyCommands(program: Command, session: CliSession): void {
  const keys = program.command('keys').description('rotate and list the signing keys of access tokens');

  keys
    .command('rotate')
    .description('make a new key the signing key; the previous key stays in the JWKS until the tokens it signed have expired')
    .action(async () => {
      const key = await session.withServices((app) => app.get(SigningKeysService).rotate());
      const output = session.output();
      output.record(toSigningKeyResponse(key));
      output.note(
        `New tokens are signed with ${key.kid} (a running server switches within about a second).\n` +
          `The previous key stays in the JWKS for ${RETIRED_KEY_PUBLISH_SECONDS} seconds, until every token it signed has expired.`,
      );
    });

  keys
    .command('list')
    .description('list signing keys, newest first: the active key and the retired ones still kept')
    .action(async () => {
      const all = await session.withServices((app) => app.get(SigningKeysService).listAll());
      session.output().list(all.map(toSigningKeyResponse), KEY_COLUMNS);
    });
}

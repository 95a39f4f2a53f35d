import { readFile } from 'node:fs/promises';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../clients/client.entity.js';
import { KNOWN_SCOPES } from '../../common/scopes.js';
import { MAX_ACCESS_TOKEN_TTL, MIN_ACCESS_TOKEN_TTL } from '../../config/environment.js';
import { UsageError } from '../cli-errors.js';

/** Option descriptions shared by `create` and `update`. */
export const CLIENT_OPTION_HELP = {
  name: 'client_name: who the client is, 1 to 200 characters',
  scope: `space-delimited scopes the client may be granted, from: ${KNOWN_SCOPES.join(' ')} (admin: platform organizations only)`,
  defaultScope: 'space-delimited scopes granted when a token request names none; within --scope',
  authMethod: `how the client authenticates at the token endpoint: ${TOKEN_ENDPOINT_AUTH_METHODS.join(' or ')}`,
  accessTokenTtl: `lifetime of its access tokens, ${MIN_ACCESS_TOKEN_TTL} to ${MAX_ACCESS_TOKEN_TTL} seconds`,
  jwksFile: "a JSON file holding the client's JWK Set of public keys, for private_key_jwt (RFC 7523); not with --jwks-uri",
  jwksUri: 'the https:// URL where the client publishes its JWK Set, for private_key_jwt; not with --jwks-file',
  introspectionAllowed: 'let the client introspect tokens of its organization at /oauth/introspect (RFC 7662), as a resource server',
};

/** The JWK Set in a --jwks-file, parsed; the DTO then checks that it holds public keys only. */
export async function readJwksFile(path: string | undefined): Promise<unknown> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--jwks-file: cannot read ${path}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`--jwks-file: ${path} is not JSON`);
  }
}

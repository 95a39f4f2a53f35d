import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../clients/client.entity.js';
import { KNOWN_SCOPES } from '../../common/scopes.js';
import { MAX_ACCESS_TOKEN_TTL, MIN_ACCESS_TOKEN_TTL } from '../../config/environment.js';

/** Option descriptions shared by `create` and `update`. */
export const CLIENT_OPTION_HELP = {
  name: 'client_name: who the client is, 1 to 200 characters',
  scope: `space-delimited scopes the client may be granted, from: ${KNOWN_SCOPES.join(' ')} (admin: platform organizations only)`,
  defaultScope: 'space-delimited scopes granted when a token request names none; within --scope',
  authMethod: `how the client authenticates at the token endpoint: ${TOKEN_ENDPOINT_AUTH_METHODS.join(' or ')}`,
  accessTokenTtl: `lifetime of its access tokens, ${MIN_ACCESS_TOKEN_TTL} to ${MAX_ACCESS_TOKEN_TTL} seconds`,
};

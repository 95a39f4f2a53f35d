import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ScimDirectory } from '../directory/scim-directory.js';
import type { SortedCollection } from '../directory/sorted-collection.js';
import { type FaultResponder, SCIM_CONTENT_TYPE } from '../faults/fault-responder.js';
import type { FaultEndpoint, Faults } from '../faults/faults.js';
import type { TokenStore } from '../oauth/token-store.js';
import type { UpstreamStats } from '../upstream-stats.js';
import type { CursorCodec } from './cursor-codec.js';
import { type ListingConfig, readListRequest } from './list-request.js';
import { listPage } from './list-response.js';
import type { ListingPace } from './listing-pace.js';
import { ScimError } from './scim-error.js';
import { serviceProviderConfig } from './service-provider-config.js';

export const SCIM_PREFIX = '/scim/v2';

interface Dependencies {
  readonly directory: ScimDirectory;
  readonly listing: ListingConfig;
  readonly pace: ListingPace;
  readonly cursors: CursorCodec;
  readonly tokens: TokenStore;
  readonly faults: Faults;
  readonly responder: FaultResponder;
  readonly stats: UpstreamStats;
}

/** The SCIM endpoints (RFC 7644 section 3.4.2 reads only), each behind the bearer check. */
export async function registerScimRoutes(app: FastifyInstance, deps: Dependencies): Promise<void> {
  await app.register(
    async (scim) => {
      scim.addHook('onRequest', async (request) => recordRequest(request, deps.stats));
      scim.addHook('onRequest', async (request, reply) => authenticate(request, reply, deps.tokens));
      scim.setErrorHandler((error, _request, reply) => sendScimError(reply, toScimError(error)));
      scim.setNotFoundHandler((request, reply) =>
        sendScimError(reply, ScimError.notFound(`No endpoint ${request.method} ${request.url}.`)),
      );

      scim.get('/ServiceProviderConfig', async (request, reply) =>
        respond(request, reply, deps, { endpoint: 'ServiceProviderConfig', page: undefined }, () =>
          serviceProviderConfig(deps.listing, deps.directory.baseUrl),
        ),
      );
      registerResource(scim, deps, 'Users', deps.directory.users, (user) => deps.directory.serializeUser(user));
      registerResource(scim, deps, 'Groups', deps.directory.groups, (group) => deps.directory.serializeGroup(group));
    },
    { prefix: SCIM_PREFIX },
  );
}

function registerResource<R extends { readonly id: string; readonly lastModified: number }>(
  scim: FastifyInstance,
  deps: Dependencies,
  endpoint: 'Users' | 'Groups',
  collection: SortedCollection<R>,
  serialize: (record: R) => unknown,
): void {
  scim.get(`/${endpoint}`, async (request, reply) => {
    const listRequest = readListRequest(request.query as Record<string, unknown>, endpoint, deps.listing, deps.cursors);
    await deps.pace.beforeListing();
    return respond(request, reply, deps, { endpoint, page: listRequest.page }, () =>
      listPage(collection, listRequest, serialize, { codec: deps.cursors, endpoint }),
    );
  });
  scim.get<{ Params: { id: string } }>(`/${endpoint}/:id`, async (request, reply) =>
    respond(request, reply, deps, { endpoint, page: undefined }, () => {
      const record = collection.get(request.params.id);
      if (!record) throw ScimError.notFound(`No resource ${request.params.id} in ${endpoint}.`);
      return serialize(record);
    }),
  );
}

/** Answers with an armed fault when one matches, else with the resource `build` returns. */
function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Dependencies,
  target: { endpoint: FaultEndpoint; page: number | undefined },
  build: () => unknown,
): FastifyReply {
  const fault = deps.faults.take(target);
  if (fault) return deps.responder.respond(fault, request, reply);
  return reply.type(SCIM_CONTENT_TYPE).send(build());
}

function recordRequest(request: FastifyRequest, stats: UpstreamStats): void {
  const [path = '', query = ''] = request.url.split('?', 2);
  stats.recordApiRequest({
    method: request.method,
    path: path.slice(SCIM_PREFIX.length) || '/',
    query,
    authorization: request.headers.authorization,
  });
}

/** RFC 6750 section 3: a request without a token gets a bare challenge; a bad token, error="invalid_token". */
async function authenticate(request: FastifyRequest, reply: FastifyReply, tokens: TokenStore): Promise<FastifyReply | undefined> {
  const header = request.headers.authorization;
  const token = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '')?.[1];
  if (token !== undefined && tokens.validate(token)) return undefined;
  const challenge =
    header === undefined
      ? 'Bearer realm="scim-upstream"'
      : 'Bearer realm="scim-upstream", error="invalid_token", error_description="The access token is missing, unknown, expired or revoked"';
  reply.header('WWW-Authenticate', challenge);
  return sendScimError(reply, new ScimError(401, 'A valid bearer token from the token endpoint is required.'));
}

function sendScimError(reply: FastifyReply, error: ScimError): FastifyReply {
  return reply.code(error.status).type(SCIM_CONTENT_TYPE).send(error.toJSON());
}

/** Errors Fastify raises itself (a bad URL, say) keep their 4xx status; anything unexpected is a bare 500. */
function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new ScimError(status, (error as Error).message);
  return new ScimError(500, 'Internal server error.');
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadMeasurement, type LoadOptions, type LoadRequest, measureLoad } from '../load/autocannon-run.js';
import { NEST_FLOOR_MEMBER } from '../reference/nest-floor-settings.js';
import { type LoadRow, nestFloorRowId } from '../results.js';
import { type ChildServer, startChildServer } from '../servers/child-server.js';
import { basicAuthorization, decodeJwt, FORM_CONTENT_TYPE, TOKEN_REQUEST_BODY } from './jwt-check.js';
import { expectOk } from './orgsync-rows.js';

const NEST_FLOOR = fileURLToPath(new URL('../reference/nest-floor-server.js', import.meta.url));

const TITLES = {
  token: 'NestJS on Fastify, minimal: POST /oauth/token (client_secret_basic, ES256 JWT)',
  read: 'NestJS on Fastify, minimal: GET /api/v1/members/:id (bearer)',
} as const;

/** The NestJS floor server, running with a client and a bearer token of its own; the caller stops it. */
export interface NestFloor {
  readonly server: ChildServer;
  readonly clientId: string;
  /** POST /oauth/token with the client's Basic credentials: the same request as orgsync's token row. */
  readonly token: LoadRequest;
  /** GET /api/v1/members/:id of its one member, with the bearer token it accepts. */
  readonly read: LoadRequest;
}

/** Starts nest-floor-server.ts (`script`, the compiled server: a test passes its own build). */
export async function startNestFloor(dir: string, script = NEST_FLOOR): Promise<NestFloor> {
  const clientId = 'bench-client';
  const clientSecret = randomBytes(32).toString('base64url');
  const bearer = randomBytes(32).toString('base64url');
  const server = await startChildServer({
    name: 'nest-floor',
    script,
    readyPath: '/jwks',
    logFile: join(dir, 'nest-floor.log'),
    env: { BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret, BENCH_FLOOR_BEARER: bearer },
  });
  return {
    server,
    clientId,
    token: {
      url: `${server.url}/oauth/token`,
      method: 'POST',
      headers: { authorization: basicAuthorization(clientId, clientSecret), 'content-type': FORM_CONTENT_TYPE },
      body: TOKEN_REQUEST_BODY,
    },
    read: { url: `${server.url}/api/v1/members/${NEST_FLOOR_MEMBER.id}`, headers: { authorization: `Bearer ${bearer}` } },
  };
}

/**
 * The two NestJS floor rows, token then read, from one server: what NestJS on
 * Fastify answers on this machine doing only the work of orgsync's token and
 * read rows. Each is checked with one request first.
 */
export async function nestFloorRows(dir: string, load: LoadOptions): Promise<LoadRow[]> {
  const floor = await startNestFloor(dir);
  try {
    await expectOk(floor.token, (body) => {
      const jwt = decodeJwt(String(body.access_token));
      return jwt?.header.alg === 'ES256' && jwt.header.typ === 'at+jwt' && body.token_type === 'Bearer';
    });
    await expectOk(floor.read, (body) => body.id === NEST_FLOOR_MEMBER.id);
    const token = await measureLoad(floor.token, floor.server.pid, load);
    const read = await measureLoad(floor.read, floor.server.pid, load);
    return [nestFloorLoadRow('token', token), nestFloorLoadRow('read', read)];
  } finally {
    await floor.server.stop();
  }
}

export function nestFloorLoadRow(row: 'token' | 'read', measurement: LoadMeasurement): LoadRow {
  return { id: nestFloorRowId(row), scenario: 'reference', title: TITLES[row], server: 'nest-floor', database: null, measurement };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import {
  NEST_FLOOR_AUDIENCE,
  NEST_FLOOR_MEMBER,
  NEST_FLOOR_SCOPE,
  NEST_FLOOR_TOKEN_SECONDS,
} from '../../bench/reference/nest-floor-settings.js';
import type { LoadRequest } from '../../bench/load/autocannon-run.js';
import { basicAuthorization } from '../../bench/scenarios/jwt-check.js';
import { type NestFloor, startNestFloor } from '../../bench/scenarios/nest-floor-rows.js';
import { type BenchBuild, compileBench } from './bench-build.js';

/**
 * The NestJS floor reference server (bench/reference/nest-floor-server.ts),
 * freshly compiled and started as the harness starts it: it must do the work
 * its rows claim to measure, and refuse what orgsync refuses.
 */
describe('the NestJS floor reference server', () => {
  let build: BenchBuild;
  let dir: string;
  let floor: NestFloor;

  beforeAll(async () => {
    build = await compileBench();
    dir = await mkdtemp(join(tmpdir(), 'orgsync-nest-floor-'));
    floor = await startNestFloor(dir, join(build.out, 'bench', 'reference', 'nest-floor-server.js'));
  }, 60_000);

  afterAll(async () => {
    await floor?.server.stop();
    await rm(dir, { recursive: true, force: true });
    await build?.remove();
  });

  const send = (request: LoadRequest, headers: Record<string, string> = request.headers ?? {}): Promise<Response> =>
    fetch(request.url, { method: request.method ?? 'GET', headers, body: request.body });

  it('issues an ES256 at+jwt access token to the right Basic credentials, verifiable with its published key', async () => {
    const response = await send(floor.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: NEST_FLOOR_TOKEN_SECONDS, scope: NEST_FLOOR_SCOPE });

    const jwks = (await (await fetch(`${floor.server.url}/jwks`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), createLocalJWKSet(jwks), {
      algorithms: ['ES256'],
      typ: 'at+jwt',
      issuer: floor.server.url,
      audience: NEST_FLOOR_AUDIENCE,
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0]!.kid });
    expect(payload).toEqual({
      iss: floor.server.url,
      sub: floor.clientId,
      aud: NEST_FLOOR_AUDIENCE,
      client_id: floor.clientId,
      scope: NEST_FLOOR_SCOPE,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: expect.any(Number),
      exp: payload.iat! + NEST_FLOOR_TOKEN_SECONDS,
    });
  });

  it('answers 401 to a wrong client secret', async () => {
    const response = await send(floor.token, { ...floor.token.headers, authorization: basicAuthorization(floor.clientId, 'wrong') });
    expect(response.status).toBe(401);
  });

  it('reads the member with the bearer token', async () => {
    const response = await send(floor.read);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(NEST_FLOOR_MEMBER);
  });

  it('answers 401 to a read without the bearer token, or with another one', async () => {
    expect((await send(floor.read, {})).status).toBe(401);
    expect((await send(floor.read, { authorization: 'Bearer another' })).status).toBe(401);
  });

  it('answers 404 for a member it does not have', async () => {
    const response = await send({ ...floor.read, url: `${floor.server.url}/api/v1/members/unknown` });
    expect(response.status).toBe(404);
  });
});

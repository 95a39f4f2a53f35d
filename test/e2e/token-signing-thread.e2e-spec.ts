import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import { compileOrgsync, killed, type OrgsyncChild, startOrgsyncChild } from '../support/orgsync-process.js';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The compiled server (the signing thread's script exists only in a build):
 * tokens asked for at once are signed in batches on the thread, and a real
 * OAuth client library (oauth4webapi) and a real JOSE library (jose) accept
 * every one of them against the JWKS.
 */
describe('access tokens signed on the signing thread', () => {
  let build: Awaited<ReturnType<typeof compileOrgsync>>;
  let database: TestDatabase;
  let child: OrgsyncChild | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    build = await compileOrgsync();
  }, 180_000);
  afterAll(async () => {
    if (child) await killed(child.child);
    await database?.drop();
    await build?.remove();
  });

  it('starts the thread with the first token and signs tokens asked for together, each valid and distinct', async () => {
    child = await startOrgsyncChild(build.main, database, {});
    expect(child.output()).not.toContain('Signing access tokens on a worker thread');
    const issuer = new URL(child.url);
    const options = { [oauth.allowInsecureRequests]: true } as const;
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }));
    const client: oauth.Client = { client_id: ADMIN_CLIENT_ID };
    const obtain = async () =>
      oauth.processClientCredentialsResponse(
        as,
        client,
        await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(ADMIN_CLIENT_SECRET), {}, options),
      );

    const tokens = await Promise.all(Array.from({ length: 40 }, obtain));

    const jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri!));
    const ids = new Set<string>();
    for (const { access_token } of tokens) {
      const { payload, protectedHeader } = await jose.jwtVerify(access_token, jwks, {
        issuer: child.url,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
      expect(payload).toMatchObject({ client_id: ADMIN_CLIENT_ID, sub: ADMIN_CLIENT_ID });
      ids.add(payload.jti!);
    }
    expect(ids.size).toBe(40);
    expect(child.output()).toContain('Signing access tokens on a worker thread');
    expect(child.output()).not.toContain('JWS signing thread');

    child.child.kill('SIGTERM');
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(child.output()).not.toContain('JWS signing thread');
  });
});

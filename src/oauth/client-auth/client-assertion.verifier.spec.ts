import { jest } from '@jest/globals';
import { SignJWT } from 'jose';
import { clientAuthRecord } from '../../../test/support/client-auth-record.js';
import { clientKey, type ClientKey, jwksOf } from '../../../test/support/client-keys.js';
import { Clock } from '../../common/clock.js';
import type { ClientAuthRecord, ClientDirectory } from '../../clients/client-directory.js';
import { AppConfig } from '../../config/app-config.js';
import { OAuthError } from '../errors/oauth-error.js';
import { ClientAssertionVerifier } from './client-assertion.verifier.js';
import { ClientJwks } from './client-jwks.js';
import type { UsedAssertionsRepository } from './used-assertions.repository.js';

const ISSUER = 'https://auth.example';
/** A fixed instant long past: the verifier must take "now" from its Clock, not the system. */
const NOW = new Date('2030-01-01T00:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

const ASSERTION_CLAIMS = { iss: 'client-1', sub: 'client-1', aud: ISSUER, jti: 'j1', exp: NOW_SECONDS + 60 };
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** The header and claims of an assertion with the given alg, for algorithms jose will not sign with. */
const unsignedPart = (alg: string) => `${base64url({ alg })}.${base64url(ASSERTION_CLAIMS)}`;

describe('ClientAssertionVerifier', () => {
  let key: ClientKey;
  let directory: jest.Mocked<Pick<ClientDirectory, 'find'>>;
  let used: jest.Mocked<Pick<UsedAssertionsRepository, 'recordFirstUse'>>;
  let verifier: ClientAssertionVerifier;

  beforeAll(async () => {
    key = await clientKey('ES256');
  });

  beforeEach(() => {
    const config = AppConfig.fromEnvironment({ NODE_ENV: 'test', ISSUER }, '/tmp');
    directory = { find: jest.fn<ClientDirectory['find']>() };
    used = { recordFirstUse: jest.fn<UsedAssertionsRepository['recordFirstUse']>().mockResolvedValue(true) };
    verifier = new ClientAssertionVerifier(
      directory as unknown as ClientDirectory,
      new ClientJwks(config),
      used as unknown as UsedAssertionsRepository,
      new FixedClock(),
      config,
    );
  });

  const client = (overrides: Partial<ClientAuthRecord> = {}) =>
    clientAuthRecord({ tokenEndpointAuthMethod: 'private_key_jwt', jwks: JSON.stringify(jwksOf(key)), ...overrides });

  const assertion = (claims: Record<string, unknown> = {}) =>
    new SignJWT({ iss: 'client-1', sub: 'client-1', aud: ISSUER, jti: 'j1', iat: NOW_SECONDS, exp: NOW_SECONDS + 60, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .sign(key.privateKey);

  async function failure(clientId?: string, claims?: Record<string, unknown>): Promise<OAuthError> {
    const error = await verifier
      .verify({ method: 'private_key_jwt', clientId, assertion: await assertion(claims) })
      .catch((e: unknown) => e);
    if (error instanceof OAuthError) return error;
    throw new Error(`expected an OAuthError, got ${String(error)}`);
  }

  it('authenticates the client and records the jti until exp plus the leeway', async () => {
    directory.find.mockResolvedValue(client());
    await expect(verifier.verify({ method: 'private_key_jwt', clientId: 'client-1', assertion: await assertion() })).resolves.toMatchObject(
      {
        clientId: 'client-1',
      },
    );
    expect(used.recordFirstUse).toHaveBeenCalledWith('client-1', 'j1', new Date((NOW_SECONDS + 120) * 1000));
  });

  it('refuses a replay', async () => {
    directory.find.mockResolvedValue(client());
    used.recordFirstUse.mockResolvedValue(false);
    expect(await failure()).toMatchObject({ error: 'invalid_client', status: 401, description: expect.stringMatching(/replay/) });
  });

  it.each([
    ['an unknown client', () => null],
    ['a disabled client', () => client({ usable: false })],
    ['a client without keys', () => client({ jwks: null })],
  ])('refuses %s with the generic answer, recording nothing', async (_case, record) => {
    directory.find.mockResolvedValue(record());
    expect(await failure()).toMatchObject({ error: 'invalid_client', description: 'Client authentication failed.' });
    expect(used.recordFirstUse).not.toHaveBeenCalled();
  });

  it.each([
    ['a signature by another key under the registered kid', async () => (await clientKey('ES256')).privateKey, () => key.kid],
    ['a kid that matches no registered key', () => Promise.resolve(key.privateKey), () => 'unknown-kid'],
  ])('refuses %s exactly as an unknown client, recording nothing', async (_case, signingKey, kid) => {
    directory.find.mockResolvedValue(client());
    const forged = await new SignJWT(ASSERTION_CLAIMS).setProtectedHeader({ alg: 'ES256', kid: kid() }).sign(await signingKey());
    const error = await verifier.verify({ method: 'private_key_jwt', clientId: undefined, assertion: forged }).catch((e: unknown) => e);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401, description: 'Client authentication failed.' });
    expect(used.recordFirstUse).not.toHaveBeenCalled();
  });

  it.each([
    ['none', () => Promise.resolve(`${unsignedPart('none')}.`)],
    ['HS256', () => new SignJWT(ASSERTION_CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32))],
  ])('refuses alg %s before looking the client up, so every client ID gets the same answer', async (_alg, refused) => {
    const error = await verifier
      .verify({ method: 'private_key_jwt', clientId: undefined, assertion: await refused() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      error: 'invalid_client',
      description: expect.stringMatching(/^The client assertion's alg is not accepted/),
    });
    expect(directory.find).not.toHaveBeenCalled();
  });

  it('names the registered method only after the signature verified', async () => {
    directory.find.mockResolvedValue(client({ tokenEndpointAuthMethod: 'client_secret_post' }));
    expect((await failure()).description).toMatch(/must authenticate with client_secret_post/);
    expect(used.recordFirstUse).not.toHaveBeenCalled();
  });

  it('judges exp against its clock', async () => {
    directory.find.mockResolvedValue(client());
    expect((await failure(undefined, { exp: NOW_SECONDS - 61 })).description).toMatch(/expired/);
    expect((await failure(undefined, { exp: NOW_SECONDS + 301 })).description).toMatch(/300 seconds/);
  });

  it('refuses a client_id parameter that is not the sub before looking anything up', async () => {
    expect((await failure('client-2')).description).toMatch(/client_id/);
    expect(directory.find).not.toHaveBeenCalled();
  });

  it('offers the unverified sub as the rate-limit key', async () => {
    expect(ClientAssertionVerifier.claimedClientId(await assertion())).toBe('client-1');
    expect(ClientAssertionVerifier.claimedClientId('junk')).toBeUndefined();
  });
});

import { jest } from '@jest/globals';
import type { FlattenedJWSInput } from 'jose';
import { SystemClock } from '../../common/clock.js';
import type { ClientDirectory } from '../../clients/client-directory.js';
import type { UsedAssertionsRepository } from './used-assertions.repository.js';

/*
 * jose's key sets and JWT verification are loaded on the first
 * private_key_jwt assertion, never at start-up (client-jwks.ts and
 * client-assertion.verifier.ts say why). Each lazily loaded jose module is
 * replaced by one that records when it is loaded and otherwise is jose itself.
 */
const loaded: string[] = [];
const jose = await import('jose');

function recordLoad<T>(name: string, exports: T): () => T {
  return () => {
    loaded.push(name);
    return exports;
  };
}

jest.unstable_mockModule('jose/jwks/local', recordLoad('jwks/local', { createLocalJWKSet: jose.createLocalJWKSet }));
jest.unstable_mockModule('jose/jwks/remote', recordLoad('jwks/remote', { createRemoteJWKSet: jose.createRemoteJWKSet }));
jest.unstable_mockModule('jose/jwt/verify', recordLoad('jwt/verify', { jwtVerify: jose.jwtVerify }));

const { clientAuthRecord } = await import('../../../test/support/client-auth-record.js');
const { clientKey, jwksOf } = await import('../../../test/support/client-keys.js');
const { AppConfig } = await import('../../config/app-config.js');
const { ClientJwks } = await import('./client-jwks.js');
const { ClientAssertionVerifier } = await import('./client-assertion.verifier.js');

const TOKEN: FlattenedJWSInput = { payload: '', signature: '' };
const ISSUER = 'https://auth.example';
const config = AppConfig.fromEnvironment({ NODE_ENV: 'test', ISSUER }, '/tmp');

describe('jose loading for private_key_jwt', () => {
  it('loads none of jose key sets or verification when the modules that use them load', () => {
    expect(loaded).toEqual([]);
  });

  it('loads jose key set code when a registered key set is first used, not when it is looked up', async () => {
    const key = await clientKey('ES256');
    const jwks = new ClientJwks(config);
    const keys = jwks.keysOf(clientAuthRecord({ jwks: JSON.stringify(jwksOf(key)) }))!;
    expect(loaded).toEqual([]);
    await expect(keys({ alg: key.alg, kid: key.kid }, TOKEN)).resolves.toBeDefined();
    expect(loaded).toEqual(['jwks/local']);
  });

  it('loads jose JWT verification when the first assertion is verified', async () => {
    const key = await clientKey('ES256');
    const client = clientAuthRecord({ tokenEndpointAuthMethod: 'private_key_jwt', jwks: JSON.stringify(jwksOf(key)) });
    const directory = { find: jest.fn<ClientDirectory['find']>().mockResolvedValue(client) };
    const used = { recordFirstUse: jest.fn<UsedAssertionsRepository['recordFirstUse']>().mockResolvedValue(true) };
    const verifier = new ClientAssertionVerifier(
      directory as unknown as ClientDirectory,
      new ClientJwks(config),
      used as unknown as UsedAssertionsRepository,
      new SystemClock(),
      config,
    );
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new jose.SignJWT({ iss: client.clientId, sub: client.clientId, aud: ISSUER, jti: 'j1', exp: now + 60 })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .sign(key.privateKey);
    expect(loaded).not.toContain('jwt/verify');
    await expect(verifier.verify({ method: 'private_key_jwt', assertion, clientId: undefined })).resolves.toBe(client);
    expect(loaded).toContain('jwt/verify');
  });
});

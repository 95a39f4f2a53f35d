import { clientAuthRecord } from '../../../test/support/client-auth-record.js';
import { jest } from '@jest/globals';
import { SystemClock } from '../../common/clock.js';
import { SecretsKeyring, generateRootKey } from '../../common/crypto/secrets-keyring.js';
import type { ClientAuthRecord, ClientDirectory } from '../../clients/client-directory.js';
import { ClientSecretHasher } from '../../clients/client-secret-hasher.js';
import { OAuthError } from '../errors/oauth-error.js';
import { ClientAuthenticator } from './client-authenticator.js';
import type { OAuthRateLimits } from '../rate-limit/oauth-rate-limits.js';
import { SecretUsageRecorder } from '../../clients/secrets/secret-usage.recorder.js';
import { ClientAssertionVerifier } from './client-assertion.verifier.js';
import type { ClientAuthenticationRequest } from './presented-client-authentication.js';

type TokenRequest = ClientAuthenticationRequest;
const CONTEXT = { sourceAddress: '127.0.0.1', requestId: 'r1' };

const hasher = new ClientSecretHasher(new SecretsKeyring(generateRootKey()));
const SECRET = 'orgsync_cs_correct';

function record(overrides: Partial<ClientAuthRecord> = {}): ClientAuthRecord {
  return clientAuthRecord({ secrets: [{ id: 's1', ...hasher.hash(SECRET), expiresAt: null }], ...overrides });
}

function request(clientSecret: string, method: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic'): TokenRequest {
  return {
    credentials: { clientId: 'client-1', clientSecret, method },
    unauthenticatedClientId: undefined,
  };
}

describe('ClientAuthenticator', () => {
  let directory: jest.Mocked<Pick<ClientDirectory, 'find'>>;
  let authenticator: ClientAuthenticator;
  let limits: jest.Mocked<Pick<OAuthRateLimits, 'beforeAuthentication' | 'authenticationFailed' | 'authenticated'>>;

  beforeEach(() => {
    directory = { find: jest.fn<ClientDirectory['find']>() };
    limits = {
      beforeAuthentication: jest.fn<OAuthRateLimits['beforeAuthentication']>().mockResolvedValue(undefined),
      authenticationFailed: jest.fn<OAuthRateLimits['authenticationFailed']>().mockResolvedValue(undefined),
      authenticated: jest.fn<OAuthRateLimits['authenticated']>().mockResolvedValue(undefined),
    };
    authenticator = new ClientAuthenticator(
      directory as unknown as ClientDirectory,
      hasher,
      { verify: jest.fn<ClientAssertionVerifier['verify']>() } as unknown as ClientAssertionVerifier,
      limits as unknown as OAuthRateLimits,
      { recordUse: jest.fn<SecretUsageRecorder['recordUse']>() } as unknown as SecretUsageRecorder,
      new SystemClock(),
    );
  });

  async function failure(tokenRequest: TokenRequest): Promise<OAuthError> {
    try {
      await authenticator.authenticate(tokenRequest, CONTEXT);
    } catch (error) {
      if (error instanceof OAuthError) return error;
      throw error;
    }
    throw new Error('expected authentication to fail');
  }

  it('authenticates a client with its secret', async () => {
    directory.find.mockResolvedValue(record());
    await expect(authenticator.authenticate(request(SECRET), CONTEXT)).resolves.toMatchObject({ clientId: 'client-1' });
  });

  it('accepts any of several live secrets (rotation)', async () => {
    directory.find.mockResolvedValue(
      record({
        secrets: [
          { id: 's0', ...hasher.hash('other'), expiresAt: null },
          { id: 's1', ...hasher.hash(SECRET), expiresAt: Date.now() + 60_000 },
        ],
      }),
    );
    await expect(authenticator.authenticate(request(SECRET), CONTEXT)).resolves.toMatchObject({ clientId: 'client-1' });
  });

  it.each([
    ['a wrong secret', () => record(), 'orgsync_cs_wrong'],
    ['an unknown client', () => null, SECRET],
    ['an expired secret', () => record({ secrets: [{ id: 's1', ...hasher.hash(SECRET), expiresAt: Date.now() - 1 }] }), SECRET],
    ['a disabled client or deleted organization', () => record({ usable: false }), SECRET],
  ])('answers %s with the same generic invalid_client', async (_label, found, secret) => {
    directory.find.mockResolvedValue(found());
    const error = await failure(request(secret));
    expect(error).toMatchObject({ error: 'invalid_client', status: 401, description: 'Client authentication failed.' });
    expect(error.headers['www-authenticate']).toBe('Basic realm="orgsync"');
  });

  it('enforces the registered authentication method, once the secret is proven', async () => {
    directory.find.mockResolvedValue(record({ tokenEndpointAuthMethod: 'client_secret_post' }));
    const error = await failure(request(SECRET, 'client_secret_basic'));
    expect(error).toMatchObject({ error: 'invalid_client' });
    expect(error.description).toContain('client_secret_post');
  });

  it('requires client authentication', async () => {
    const error = await failure({
      credentials: undefined,
      unauthenticatedClientId: 'x',
    });
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(directory.find).not.toHaveBeenCalled();
  });

  it('does not look up absurdly long client IDs', async () => {
    const error = await failure({
      ...request(SECRET),
      credentials: { clientId: 'x'.repeat(500), clientSecret: SECRET, method: 'client_secret_basic' },
    });
    expect(error.error).toBe('invalid_client');
    expect(directory.find).not.toHaveBeenCalled();
  });

  it('counts a failed authentication against the claimed client ID at this address, and a success against the client', async () => {
    directory.find.mockResolvedValue(record());
    await failure(request('orgsync_cs_wrong'));
    expect(limits.beforeAuthentication).toHaveBeenCalledWith('client-1', CONTEXT);
    expect(limits.authenticationFailed).toHaveBeenCalledWith('client-1', CONTEXT);
    expect(limits.authenticated).not.toHaveBeenCalled();
    await authenticator.authenticate(request(SECRET), CONTEXT);
    expect(limits.authenticated).toHaveBeenCalledWith('client-1');
    expect(limits.authenticationFailed).toHaveBeenCalledTimes(1);
  });

  it('does not authenticate a client refused by the abuse limits', async () => {
    directory.find.mockResolvedValue(record());
    limits.beforeAuthentication.mockRejectedValue(new Error('limited'));
    await expect(authenticator.authenticate(request(SECRET), CONTEXT)).rejects.toThrow('limited');
    expect(directory.find).not.toHaveBeenCalled();
  });
});

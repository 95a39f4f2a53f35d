import { clientAuthRecord } from '../../../test/support/client-auth-record.js';
import { jest } from '@jest/globals';
import type { ClientAuthRecord } from '../../clients/client-directory.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { AuditEventInput, AuditLog } from '../../audit/audit-log.js';
import type { ClientAuthenticator } from '../client-auth/client-authenticator.js';
import type { TokenMetrics } from '../../metrics/token-metrics.js';
import type { TokenGrant } from './grants/token-grant.js';
import type { TokenRequest } from './token-request.js';
import { TokenService } from './token.service.js';

const client: ClientAuthRecord = clientAuthRecord();

const issued = {
  accessToken: 'eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl',
  tokenId: '0190f5a0-0000-7000-8000-000000000000',
  expiresIn: 600,
  scope: 'org:read',
};

function tokenRequest(grantType: string | undefined): TokenRequest {
  return {
    grantType,
    scope: undefined,
    credentials: { clientId: 'c', clientSecret: 's', method: 'client_secret_basic' },
    unauthenticatedClientId: undefined,
    context: { sourceAddress: '192.0.2.7', requestId: 'req-1' },
  };
}

describe('TokenService', () => {
  let authenticator: jest.Mocked<Pick<ClientAuthenticator, 'authenticate'>>;
  let grant: jest.Mocked<TokenGrant>;
  let service: TokenService;
  let audited: AuditEventInput[];
  let metrics: jest.Mocked<Pick<TokenMetrics, 'issued' | 'refused'>>;

  beforeEach(() => {
    authenticator = { authenticate: jest.fn<ClientAuthenticator['authenticate']>().mockResolvedValue(client) };
    grant = { grantType: 'client_credentials', handle: jest.fn<TokenGrant['handle']>().mockResolvedValue(issued) };
    audited = [];
    const audit = { record: (event: AuditEventInput) => void audited.push(event) };
    metrics = { issued: jest.fn<TokenMetrics['issued']>(), refused: jest.fn<TokenMetrics['refused']>() };
    service = new TokenService(
      authenticator as unknown as ClientAuthenticator,
      audit as AuditLog,
      [grant],
      metrics as unknown as TokenMetrics,
    );
  });

  it('authenticates the client, then runs its grant', async () => {
    await expect(service.exchange(tokenRequest('client_credentials'))).resolves.toBe(issued);
    expect(grant.handle).toHaveBeenCalledWith(tokenRequest('client_credentials'), client);
  });

  it('authenticates the client before looking at the grant type', async () => {
    authenticator.authenticate.mockRejectedValue(OAuthError.invalidClient());
    await expect(service.exchange(tokenRequest('password'))).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('answers a missing grant_type with invalid_request', async () => {
    await expect(service.exchange(tokenRequest(undefined))).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('answers an unknown grant type with unsupported_grant_type', async () => {
    await expect(service.exchange(tokenRequest('password'))).rejects.toMatchObject({ error: 'unsupported_grant_type' });
    expect(grant.handle).not.toHaveBeenCalled();
  });

  it('answers a grant the client may not use with unauthorized_client', async () => {
    authenticator.authenticate.mockResolvedValue({ ...client, grantTypes: new Set() });
    await expect(service.exchange(tokenRequest('client_credentials'))).rejects.toMatchObject({ error: 'unauthorized_client', status: 400 });
    expect(grant.handle).not.toHaveBeenCalled();
  });

  it('audits an issued token by its jti, never the token itself', async () => {
    await service.exchange(tokenRequest('client_credentials'));
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'token.issued',
        outcome: 'success',
        clientId: client.clientId,
        organizationId: client.organizationId,
        sourceAddress: '192.0.2.7',
        requestId: 'req-1',
        details: expect.objectContaining({ jti: issued.tokenId, scope: 'org:read' }),
      }),
    ]);
    expect(JSON.stringify(audited)).not.toContain(issued.accessToken);
  });

  it('audits a refusal with the claimed client, the error and never the secret', async () => {
    authenticator.authenticate.mockRejectedValue(OAuthError.invalidClient());
    await expect(service.exchange(tokenRequest('client_credentials'))).rejects.toBeInstanceOf(OAuthError);
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'token.refused',
        outcome: 'failure',
        clientId: 'c',
        organizationId: null,
        details: expect.objectContaining({ error: 'invalid_client' }),
      }),
    ]);
    expect(JSON.stringify(audited)).not.toContain('"s"');
  });

  it('counts an issued token for the authenticated client', async () => {
    await service.exchange(tokenRequest('client_credentials'));
    expect(metrics.issued).toHaveBeenCalledWith(client);
    expect(metrics.refused).not.toHaveBeenCalled();
  });

  it('counts a refusal before authentication without the claimed client', async () => {
    authenticator.authenticate.mockRejectedValue(OAuthError.invalidClient());
    await expect(service.exchange(tokenRequest('client_credentials'))).rejects.toBeInstanceOf(OAuthError);
    expect(metrics.refused).toHaveBeenCalledWith('invalid_client', undefined);
  });

  it('counts a refusal after authentication with the client that authenticated', async () => {
    await expect(service.exchange(tokenRequest('password'))).rejects.toBeInstanceOf(OAuthError);
    expect(metrics.refused).toHaveBeenCalledWith('unsupported_grant_type', client);
  });

  it('counts an unexpected failure as server_error', async () => {
    grant.handle.mockRejectedValue(new Error('database down'));
    await expect(service.exchange(tokenRequest('client_credentials'))).rejects.toThrow('database down');
    expect(metrics.refused).toHaveBeenCalledWith('server_error', client);
  });
});

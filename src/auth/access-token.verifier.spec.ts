import { generateKeyPairSync } from 'node:crypto';
import { jest } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { clientAuthRecord } from '../../test/support/client-auth-record.js';
import type { ClientAuthRecord, ClientDirectory } from '../clients/client-directory.js';
import { HttpProblem } from '../common/http/problem.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { SigningKeysService, VerificationKey } from '../oauth/keys/signing-keys.service.js';
import type { RevocationList } from '../oauth/revocation/revocation-list.js';
import { AccessTokenVerifier } from './access-token.verifier.js';

const ISSUER = 'https://auth.example.test';
const AUDIENCE = `${ISSUER}/api`;
const T0 = Date.UTC(2030, 0, 1);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY: VerificationKey = { kid: 'k1', alg: 'ES256', publicKey };

class ManualClock extends Clock {
  constructor(public ms: number) {
    super();
  }

  now(): Date {
    return new Date(this.ms);
  }
}

function sign(claims: Record<string, unknown> = {}, signWith = privateKey): string {
  const iat = Math.floor(T0 / 1000);
  return jwt.sign(
    {
      iss: ISSUER,
      sub: 'client-1',
      aud: AUDIENCE,
      client_id: 'client-1',
      org_id: 'org-1',
      scope: 'org:read',
      jti: 'jti-1',
      iat,
      exp: iat + 600,
      ...claims,
    },
    signWith,
    { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid: 'k1' } },
  );
}

describe('AccessTokenVerifier', () => {
  let clock: ManualClock;
  let keys: jest.Mocked<Pick<SigningKeysService, 'verificationKey'>>;
  let clients: jest.Mocked<Pick<ClientDirectory, 'find'>>;
  let revoked: Set<string>;
  let verifier: AccessTokenVerifier;

  beforeEach(() => {
    clock = new ManualClock(T0);
    keys = { verificationKey: jest.fn<SigningKeysService['verificationKey']>().mockResolvedValue(KEY) };
    clients = { find: jest.fn<ClientDirectory['find']>().mockResolvedValue(clientAuthRecord()) };
    revoked = new Set();
    verifier = new AccessTokenVerifier(
      keys as unknown as SigningKeysService,
      clients as unknown as ClientDirectory,
      { isRevoked: (jti: string) => revoked.has(jti) } as unknown as RevocationList,
      { oauth: { issuer: ISSUER, audience: AUDIENCE } } as unknown as AppConfig,
      clock,
    );
  });

  async function refusal(token: string): Promise<string | undefined> {
    try {
      await verifier.verify(token);
    } catch (error) {
      if (error instanceof HttpProblem) return error.message;
      throw error;
    }
    return undefined;
  }

  it('checks the signature of a token once, then answers from the cache while it is valid', async () => {
    const token = sign();
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);

    expect(second).toEqual(first);
    expect(second).toMatchObject({ clientId: 'client-1', organizationId: 'org-1', tokenId: 'jti-1' });
    expect(keys.verificationKey).toHaveBeenCalledTimes(1);
  });

  it('never answers from the cache at or after the token expires', async () => {
    const token = sign({ exp: Math.floor(T0 / 1000) + 60 });
    await verifier.verify(token);
    clock.ms = T0 + 60_000;
    await verifier.verify(token); // within jwt.verify's clock tolerance: checked again, not cached
    clock.ms = T0 + 121_000;

    expect(await refusal(token)).toBeDefined();
    expect(keys.verificationKey).toHaveBeenCalledTimes(3);
  });

  it('refuses a cached token once it is revoked', async () => {
    const token = sign();
    await verifier.verify(token);
    revoked.add('jti-1');

    expect(await refusal(token)).toBeDefined();
  });

  it('refuses a cached token once its client is disabled, deleted or its tokens are revoked', async () => {
    const token = sign();
    await verifier.verify(token);
    const states: (ClientAuthRecord | null)[] = [
      clientAuthRecord({ usable: false }),
      null,
      clientAuthRecord({ tokensRevokedBefore: T0 + 1000 }),
    ];
    for (const state of states) {
      clients.find.mockResolvedValueOnce(state);
      expect(await refusal(token)).toBeDefined();
    }
    expect(await verifier.verify(token)).toMatchObject({ clientId: 'client-1' });
  });

  it('drops scopes the client lost from a cached token', async () => {
    const token = sign({ scope: 'org:read members:read' });
    clients.find.mockResolvedValue(clientAuthRecord({ allowedScopes: new Set(['org:read', 'members:read']) }));
    await verifier.verify(token);
    clients.find.mockResolvedValue(clientAuthRecord({ allowedScopes: new Set(['org:read']) }));

    expect([...(await verifier.verify(token)).scopes]).toEqual(['org:read']);
  });

  it('refuses by rejecting its promise, never by throwing, cached claims or not', async () => {
    const token = sign();
    await verifier.verify(token);
    revoked.add('jti-1');
    const calls = [() => verifier.verify(token), () => verifier.verifyToken(token), () => verifier.verify('not-a-jwt')];

    for (const call of calls) {
      let pending: Promise<unknown> | undefined;
      expect(() => (pending = call())).not.toThrow();
      await expect(pending).rejects.toBeInstanceOf(HttpProblem);
    }
  });

  it('checks revocation before asking for the client, and the client on every call', async () => {
    const token = sign();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(clients.find).toHaveBeenCalledTimes(2);
    revoked.add('jti-1');

    expect(await refusal(token)).toBe('The access token has been revoked.');
    expect(clients.find).toHaveBeenCalledTimes(2);
  });

  it('never caches a forged token: each presentation is checked and refused', async () => {
    const forged = sign({}, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const good = sign();
    const tampered = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(86)}`;

    for (const token of [forged, forged, tampered, tampered]) expect(await refusal(token)).toBeDefined();
    expect(keys.verificationKey).toHaveBeenCalledTimes(4);
  });
});

import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../src/audit/audit-log.js';
import { Clock } from '../../src/common/clock.js';
import { SecretsKeyring } from '../../src/common/crypto/secrets-keyring.js';
import { AppConfig } from '../../src/config/app-config.js';
import { SigningKeyEntity } from '../../src/oauth/keys/signing-key.entity.js';
import { SigningKeysRepository } from '../../src/oauth/keys/signing-keys.repository.js';
import { RETIRED_KEY_PUBLISH_SECONDS, SigningKeysService } from '../../src/oauth/keys/signing-keys.service.js';
import { obtainToken, organizationWithClient, type CreatedClient } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

class ShiftedClock extends Clock {
  constructor(private readonly offsetSeconds: number) {
    super();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetSeconds * 1000);
  }
}

interface Jwks {
  keys: Array<Record<string, string>>;
}

const kidOf = (token: string) => (jwt.decode(token, { complete: true })!.header as jwt.JwtHeader).kid;

describe('signing keys: stored, published, rotated', () => {
  let t: TestApp;
  let client: CreatedClient;

  beforeAll(async () => {
    t = await startTestApp();
    ({ client } = await organizationWithClient(t));
  });
  afterAll(() => t.close());

  const jwks = async () => (await t.http().get('/oauth/jwks')).body as Jwks;
  const callApi = (token: string) => t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });

  it('publishes public keys only, as an RFC 7517 JWK Set', async () => {
    const response = await t.http().get('/oauth/jwks');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    const [key] = (response.body as Jwks).keys;
    expect(key).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: expect.any(String),
      alg: 'ES256',
      use: 'sig',
    });
    expect(() => createPublicKey({ key, format: 'jwk' })).not.toThrow();
  });

  it('keeps private keys encrypted at rest', async () => {
    const stored = await t.app.get(DataSource).getRepository(SigningKeyEntity).find();
    for (const key of stored) {
      expect(key.privateKey).toMatch(/^v1\./);
      expect(key.privateKey).not.toContain('PRIVATE KEY');
      expect(t.app.get(SecretsKeyring).decrypt(key.privateKey)).toContain('BEGIN PRIVATE KEY');
    }
  });

  it('rotates: new tokens carry the new kid, old tokens keep working, both keys are published', async () => {
    const before = await obtainToken(t, client.client_id, client.client_secret);
    const rotated = await t.app.get(SigningKeysService).rotate();
    const after = await obtainToken(t, client.client_id, client.client_secret);

    expect(kidOf(after)).toBe(rotated.kid);
    expect(kidOf(before)).not.toBe(rotated.kid);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kidOf(before), rotated.kid]));
    expect((await callApi(before)).status).toBe(200);
    expect((await callApi(after)).status).toBe(200);
  });

  it('drops a retired key from the JWKS only once every token it signed has expired', async () => {
    const old = await obtainToken(t, client.client_id, client.client_secret);
    await t.app.get(SigningKeysService).rotate();
    const later = (offsetSeconds: number) =>
      new SigningKeysService(
        t.app.get(SigningKeysRepository),
        t.app.get(SecretsKeyring),
        t.app.get(AppConfig),
        new ShiftedClock(offsetSeconds),
        t.app.get(AuditLog),
      );

    const justBefore = (await later(RETIRED_KEY_PUBLISH_SECONDS - 5).jwks()).keys.map((k) => k.kid);
    const justAfter = (await later(RETIRED_KEY_PUBLISH_SECONDS + 5).jwks()).keys.map((k) => k.kid);
    expect(justBefore).toContain(kidOf(old));
    expect(justAfter).not.toContain(kidOf(old));
    expect(await later(RETIRED_KEY_PUBLISH_SECONDS + 5).verificationKey(kidOf(old)!)).toBeUndefined();
  });

  it('keeps exactly one active key', async () => {
    await t.app.get(SigningKeysService).rotate();
    const active = await t.app.get(DataSource).getRepository(SigningKeyEntity).findBy({ status: 'active' });
    expect(active).toHaveLength(1);
  });
});

describe('RS256 signing (SIGNING_ALG=RS256)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGNING_ALG: 'RS256' });
  });
  afterAll(() => t.close());

  it('signs with an RSA key published in the JWKS', async () => {
    const { client } = await organizationWithClient(t);
    const token = await obtainToken(t, client.client_id, client.client_secret);
    const header = jwt.decode(token, { complete: true })!.header;
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const jwk = ((await t.http().get('/oauth/jwks')).body as Jwks).keys.find((k) => k.kid === header.kid);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwt.verify(token, createPublicKey({ key: jwk!, format: 'jwk' }), { algorithms: ['RS256'] })).toMatchObject({
      client_id: client.client_id,
    });
    expect((await t.http().get('/api/v1/organization').auth(token, { type: 'bearer' })).status).toBe(200);
  });
});

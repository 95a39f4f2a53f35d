import { jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { AuditLog, type AuditEventInput } from '../../src/audit/audit-log.js';
import { Clock } from '../../src/common/clock.js';
import { SecretsKeyring } from '../../src/common/crypto/secrets-keyring.js';
import { AppConfig } from '../../src/config/app-config.js';
import { MAX_ACCESS_TOKEN_TTL } from '../../src/config/environment.js';
import { KeyRotationScheduler } from '../../src/oauth/keys/key-rotation.scheduler.js';
import { SigningKeyEntity } from '../../src/oauth/keys/signing-key.entity.js';
import { SigningKeysRepository } from '../../src/oauth/keys/signing-keys.repository.js';
import { RETIRED_KEY_PUBLISH_SECONDS, SigningKeysService } from '../../src/oauth/keys/signing-keys.service.js';
import { AccessTokenIssuer } from '../../src/oauth/tokens/access-token.issuer.js';
import { JwsSigningThread } from '../../src/oauth/tokens/jws-signing-thread.js';
import { createCliHarness, textField, type CliHarness } from '../cli/cli-harness.js';
import { type CreatedClient, obtainToken, organizationWithClient } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The real time moved by a fixed offset: "a month from now" without waiting a month. */
class ShiftedClock extends Clock {
  constructor(private readonly offsetSeconds: number) {
    super();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetSeconds * 1000);
  }
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid;

describe('signing keys rotate on a schedule, and retired keys stay published while their tokens live', () => {
  let t: TestApp;
  let client: CreatedClient;
  let organizationId: string;
  let audited: AuditEventInput[];
  beforeAll(async () => {
    t = await startTestApp();
    ({ client, organizationId } = await organizationWithClient(t));
  });
  afterAll(() => t.close());
  beforeEach(() => {
    audited = [];
    jest.spyOn(t.app.get(AuditLog), 'record').mockImplementation((event) => {
      if (event.action.startsWith('signing_key.')) audited.push(event);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const config = () => t.app.get(AppConfig);
  const rotationSeconds = () => config().security.signingKeyRotationSeconds;
  /** A scheduler of the running app's keys whose clock reads `offsetSeconds` ahead. */
  const schedulerAt = (offsetSeconds: number, appConfig: AppConfig = config()) =>
    new KeyRotationScheduler(t.app.get(SigningKeysService), t.app.get(SchedulerRegistry), appConfig, new ShiftedClock(offsetSeconds));
  /** The app's keys as they will look `offsetSeconds` from now. */
  const keysAt = (offsetSeconds: number) =>
    new SigningKeysService(
      t.app.get(SigningKeysRepository),
      t.app.get(SecretsKeyring),
      config(),
      new ShiftedClock(offsetSeconds),
      t.app.get(AuditLog),
    );
  const activeKey = async () => (await t.app.get(DataSource).getRepository(SigningKeyEntity).findOneByOrFail({ status: 'active' })).kid;
  const publishedJwks = async () => (await t.http().get('/oauth/jwks')).body as JSONWebKeySet;
  const callApi = (token: string) => t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });
  /** Verifies as a partner would (jose), against a JWKS, at a given time. */
  const verifyAt = (token: string, jwks: JSONWebKeySet, at: Date) =>
    jwtVerify(token, createLocalJWKSet(jwks), { issuer: config().oauth.issuer, audience: config().oauth.audience, currentDate: at });

  it('checks every minute by default, rotating a key older than SIGNING_KEY_ROTATION_SECONDS (30 days)', () => {
    expect(rotationSeconds()).toBe(30 * 86_400);
    expect(t.app.get(SchedulerRegistry).getIntervals()).toContain('signing-key-rotation');
  });

  it('leaves a key younger than the rotation period alone', async () => {
    const kid = await activeKey();

    expect(await schedulerAt(rotationSeconds() - 120).tick()).toBeNull();

    expect(await activeKey()).toBe(kid);
    expect(audited).toEqual([]);
  });

  it('rotates a key once it is due: tokens signed before and after both verify, and both keys are published', async () => {
    const before = await obtainToken(t, client.client_id, client.client_secret);
    const previousKid = await activeKey();

    const rotated = await schedulerAt(rotationSeconds() + 1).tick();

    expect(rotated?.kid).toBeDefined();
    expect(rotated!.kid).not.toBe(previousKid);
    expect(await activeKey()).toBe(rotated!.kid);
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'signing_key.rotated',
        targetType: 'signing_key',
        targetId: rotated!.kid,
        details: { kid: rotated!.kid, alg: 'ES256', previous_kid: previousKid, reason: 'schedule' },
      }),
    ]);
    const after = await obtainToken(t, client.client_id, client.client_secret);
    expect(kidOf(after)).toBe(rotated!.kid);
    expect(kidOf(before)).toBe(previousKid);
    expect((await callApi(before)).status).toBe(200);
    expect((await callApi(after)).status).toBe(200);
    const jwks = await publishedJwks();
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([previousKid, rotated!.kid]));
    await expect(verifyAt(before, jwks, new Date())).resolves.toBeDefined();
    await expect(verifyAt(after, jwks, new Date())).resolves.toBeDefined();
  });

  it('never rotates when SIGNING_KEY_ROTATION_SECONDS is 0', async () => {
    const off = Object.assign(Object.create(AppConfig.prototype) as AppConfig, config(), {
      security: { ...config().security, signingKeyRotationSeconds: 0 },
    });
    const kid = await activeKey();

    expect(await schedulerAt(10 * 365 * 86_400, off).tick()).toBeNull();

    expect(await activeKey()).toBe(kid);
  });

  it('keeps a retired key in the JWKS until the longest-lived token it signed has expired, and drops it after', async () => {
    expect(RETIRED_KEY_PUBLISH_SECONDS).toBeGreaterThanOrEqual(MAX_ACCESS_TOKEN_TTL + 60);
    const issuer = new AccessTokenIssuer(t.app.get(SigningKeysService), config(), t.app.get(Clock), t.app.get(JwsSigningThread));
    const longest = await issuer.issue({
      clientId: client.client_id,
      organizationId,
      scopes: ['org:read'],
      ttlSeconds: MAX_ACCESS_TOKEN_TTL,
    });
    const oldKid = kidOf(longest.accessToken);

    await schedulerAt(rotationSeconds() + 1).tick();
    expect(await activeKey()).not.toBe(oldKid);

    // A second before the token expires, a partner fetching the JWKS still finds its key and accepts it.
    const lastSecond = MAX_ACCESS_TOKEN_TTL - 1;
    const jwksThen = await keysAt(lastSecond).jwks();
    expect(jwksThen.keys.map((key) => key.kid)).toContain(oldKid);
    // The token's own last second, not now + TTL - 1: a clock second may tick between issuing and this line.
    const tokenLastSecond = new Date((decodeJwt(longest.accessToken).exp! - 1) * 1000);
    await expect(verifyAt(longest.accessToken, jwksThen as JSONWebKeySet, tokenLastSecond)).resolves.toBeDefined();
    // Within the verifiers' leeway after that, still published; once the window has passed, gone.
    expect((await keysAt(RETIRED_KEY_PUBLISH_SECONDS - 5).jwks()).keys.map((key) => key.kid)).toContain(oldKid);
    const gone = keysAt(RETIRED_KEY_PUBLISH_SECONDS + 5);
    expect((await gone.jwks()).keys.map((key) => key.kid)).not.toContain(oldKid);
    expect(await gone.verificationKey(oldKid!)).toBeUndefined();
  });

  // Last: the keys it makes are dated a month and more ahead.
  it('rotates again only when the new key is due in turn', async () => {
    const due = rotationSeconds() + 1;
    const schedulerOf = (offsetSeconds: number) =>
      new KeyRotationScheduler(keysAt(offsetSeconds), t.app.get(SchedulerRegistry), config(), new ShiftedClock(offsetSeconds));

    const first = await schedulerOf(due).tick();
    const again = await schedulerOf(due + 60).tick();
    const inTurn = await schedulerOf(2 * due).tick();

    expect(first).not.toBeNull();
    expect(again).toBeNull();
    expect(inTurn).not.toBeNull();
    expect(await activeKey()).toBe(inTurn!.kid);
    expect(audited.map((event) => (event.details as { previous_kid: string }).previous_kid)).toEqual([expect.any(String), first!.kid]);
  });
});

describe('orgsync keys rotate and list', () => {
  let cli: CliHarness;
  let t: TestApp;
  beforeAll(async () => {
    cli = await createCliHarness();
    t = await cli.startApp();
  });
  afterAll(async () => {
    await t.close();
    await cli.drop();
  });
  afterEach(() => jest.restoreAllMocks());

  it('rotates by command, audited with reason command, and lists the new key as active and the old as retired', async () => {
    const [{ kid: previousKid }] = (await cli.json<{ data: { kid: string }[] }>('keys', 'list')).data as [{ kid: string }];
    const audited: AuditEventInput[] = [];
    // The CLI runs its own application context: watch every AuditLog, whichever instance records.
    jest.spyOn(AuditLog.prototype, 'record').mockImplementation((event) => void audited.push(event));

    const rotated = await cli.run('keys', 'rotate');

    expect(rotated.code).toBe(0);
    const kid = textField(rotated.stdout, 'kid');
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'signing_key.rotated',
        targetId: kid,
        details: { kid, alg: 'ES256', previous_kid: previousKid, reason: 'command' },
      }),
    ]);
    const listed = await cli.run('keys', 'list');
    expect(listed.stdout.split('\n')[0]).toMatch(/^KID\s+ALG\s+STATUS\s+CREATED_AT\s+RETIRED_AT$/);
    const keys = (await cli.json<{ data: { kid: string; status: string; retired_at: string | null }[] }>('keys', 'list')).data;
    expect(keys.slice(0, 2)).toEqual([
      expect.objectContaining({ kid, status: 'active', retired_at: null }),
      expect.objectContaining({ kid: previousKid, status: 'retired', retired_at: expect.any(String) }),
    ]);
    expect(JSON.stringify(keys)).not.toMatch(/PRIVATE|private_key|"d":/);
  });
});

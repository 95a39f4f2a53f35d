import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { AuditLog, type AuditEventInput } from '../../../src/audit/audit-log.js';
import { Clock } from '../../../src/common/clock.js';
import { SecretsKeyring } from '../../../src/common/crypto/secrets-keyring.js';
import { AppConfig } from '../../../src/config/app-config.js';
import { KeyRotationScheduler } from '../../../src/oauth/keys/key-rotation.scheduler.js';
import { SigningKeyEntity } from '../../../src/oauth/keys/signing-key.entity.js';
import { SigningKeysRepository } from '../../../src/oauth/keys/signing-keys.repository.js';
import { SigningKeysService } from '../../../src/oauth/keys/signing-keys.service.js';
import { obtainToken, organizationWithClient } from '../../support/factories.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const ROUNDS = 10;

/** Each round moves "now" one rotation period ahead: the key the previous round made is due, the one this round makes is not. */
class SteppedClock extends Clock {
  offsetSeconds = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetSeconds * 1000);
  }
}

/**
 * PostgreSQL only: two replicas on one database whose rotation checks start
 * at the same moment, round after round, each finding the active key due.
 * The conditional retire of the current key (SigningKeysRepository.activate)
 * lets exactly one of them make the new key; the other notices and moves on.
 */
describe('two replicas rotating the signing key at the same moment', () => {
  const env = { SECRETS_KEY: randomBytes(32).toString('hex'), ISSUER: 'https://orgsync.test' };
  let database: TestDatabase;
  let replicas: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // One after the other: the first runs the migrations and makes the first key.
    replicas.push(await startTestApp(env, database));
    replicas.push(await startTestApp(env, database));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    replicas = [];
    await database?.drop();
  });
  afterEach(() => jest.restoreAllMocks());

  it('makes exactly one new key each time, never two active keys, and never an error', async () => {
    const keys = replicas[0]!.app.get(DataSource).getRepository(SigningKeyEntity);
    const period = replicas[0]!.app.get(AppConfig).security.signingKeyRotationSeconds;
    const clock = new SteppedClock();
    // Each replica's keys and scheduler on the one clock, as replicas share the real one.
    const schedulers = replicas.map((replica) => {
      const keysOfReplica = new SigningKeysService(
        replica.app.get(SigningKeysRepository),
        replica.app.get(SecretsKeyring),
        replica.app.get(AppConfig),
        clock,
        replica.app.get(AuditLog),
      );
      return new KeyRotationScheduler(keysOfReplica, replica.app.get(SchedulerRegistry), replica.app.get(AppConfig), clock);
    });
    const audited: AuditEventInput[] = [];
    jest.spyOn(AuditLog.prototype, 'record').mockImplementation((event) => {
      if (event.action === 'signing_key.rotated') audited.push(event);
    });
    const errors = jest.spyOn(Logger.prototype, 'error');

    for (let round = 1; round <= ROUNDS; round++) {
      clock.offsetSeconds = round * (period + 5);
      const rotated = await Promise.all(schedulers.map((scheduler) => scheduler.tick()));

      expect(rotated.filter((key) => key !== null).map((key) => key!.kid)).toHaveLength(1);
      expect(await keys.countBy({ status: 'active' })).toBe(1);
    }

    // Keys retired a period ago were deleted along the way; the audit trail keeps each rotation, each with its own key.
    expect(new Set(audited.map((event) => event.targetId)).size).toBe(ROUNDS);
    expect(errors).not.toHaveBeenCalled();
  });

  it('lets a token signed on one replica after the rotation verify on the other', async () => {
    const { client } = await organizationWithClient(replicas[0]!);
    const token = await obtainToken(replicas[1]!, client.client_id, client.client_secret);

    const response = await replicas[0]!.http().get('/api/v1/organization').auth(token, { type: 'bearer' });

    expect(response.status).toBe(200);
  });
});

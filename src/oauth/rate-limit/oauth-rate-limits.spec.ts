import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { AuditLog } from '../../audit/audit-log.js';
import { AppConfig } from '../../config/app-config.js';
import type { OAuthRequestContext } from '../client-auth/oauth-form.js';
import { OAuthError } from '../errors/oauth-error.js';
import { OAuthRateLimits } from './oauth-rate-limits.js';

const WINDOW_SECONDS = 60;
const ATTACKER: OAuthRequestContext = { sourceAddress: '203.0.113.66', requestId: 'req-attacker' };
const PARTNER: OAuthRequestContext = { sourceAddress: '198.51.100.7', requestId: 'req-partner' };

/** The memory store never touches the database. */
const NO_DATABASE = {} as DataSource;

function limitsWith(env: Record<string, string>): OAuthRateLimits {
  const config = AppConfig.fromEnvironment(
    { RATE_LIMIT_STORE: 'memory', RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), ...env },
    '/srv',
  );
  return new OAuthRateLimits(config, NO_DATABASE, audit as unknown as AuditLog);
}

async function refusal(operation: Promise<void>): Promise<OAuthError> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

let audit: jest.Mocked<Pick<AuditLog, 'record'>>;

describe('OAuthRateLimits', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
    audit = { record: jest.fn<AuditLog['record']>() };
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('per source address', () => {
    it('admits the configured number of requests per window, then refuses with 429, too_many_requests and Retry-After', async () => {
      const limits = limitsWith({ RATE_LIMIT_PER_ADDRESS: '3' });
      for (let i = 0; i < 3; i++) await limits.admitAddress(ATTACKER.sourceAddress);
      jest.advanceTimersByTime(15_000);
      const error = await refusal(limits.admitAddress(ATTACKER.sourceAddress));
      expect(error).toMatchObject({ status: 429, error: 'too_many_requests', headers: { 'retry-after': '45' } });
      await expect(limits.admitAddress(PARTNER.sourceAddress)).resolves.toBeUndefined();
    });

    it('admits again once the window has passed', async () => {
      const limits = limitsWith({ RATE_LIMIT_PER_ADDRESS: '1' });
      await limits.admitAddress(ATTACKER.sourceAddress);
      await expect(limits.admitAddress(ATTACKER.sourceAddress)).rejects.toBeInstanceOf(OAuthError);
      jest.advanceTimersByTime(WINDOW_SECONDS * 1000);
      await expect(limits.admitAddress(ATTACKER.sourceAddress)).resolves.toBeUndefined();
    });

    it('is off at 0', async () => {
      const limits = limitsWith({ RATE_LIMIT_PER_ADDRESS: '0' });
      for (let i = 0; i < 50; i++) await limits.admitAddress(ATTACKER.sourceAddress);
    });
  });

  describe('failed authentications per client ID and address', () => {
    async function fail(limits: OAuthRateLimits, times: number, context: OAuthRequestContext, clientId = 'partner'): Promise<void> {
      for (let i = 0; i < times; i++) {
        await limits.beforeAuthentication(clientId, context);
        await limits.authenticationFailed(clientId, context);
      }
    }

    it('locks the pair out after the configured failures, for a full window from the lockout', async () => {
      const limits = limitsWith({ RATE_LIMIT_FAILURES_PER_CLIENT: '3' });
      await fail(limits, 2, ATTACKER);
      jest.advanceTimersByTime(50_000);
      await fail(limits, 1, ATTACKER);
      const error = await refusal(limits.beforeAuthentication('partner', ATTACKER));
      expect(error).toMatchObject({ status: 429, error: 'too_many_requests', headers: { 'retry-after': String(WINDOW_SECONDS) } });
      // Past the window of the first failure, the lockout still holds: it counts from the lockout.
      jest.advanceTimersByTime(20_000);
      await expect(limits.beforeAuthentication('partner', ATTACKER)).rejects.toBeInstanceOf(OAuthError);
      jest.advanceTimersByTime(40_000);
      await expect(limits.beforeAuthentication('partner', ATTACKER)).resolves.toBeUndefined();
    });

    it('never locks the real client out of its own address', async () => {
      const limits = limitsWith({ RATE_LIMIT_FAILURES_PER_CLIENT: '3' });
      await fail(limits, 3, ATTACKER);
      await expect(limits.beforeAuthentication('partner', ATTACKER)).rejects.toBeInstanceOf(OAuthError);
      await expect(limits.beforeAuthentication('partner', PARTNER)).resolves.toBeUndefined();
      await expect(limits.beforeAuthentication('another-client', ATTACKER)).resolves.toBeUndefined();
    });

    it('audits the lockout once, naming the client ID and the address', async () => {
      const limits = limitsWith({ RATE_LIMIT_FAILURES_PER_CLIENT: '2' });
      await fail(limits, 2, ATTACKER);
      // Failures still counted by requests already past the check do not audit again.
      await limits.authenticationFailed('partner', ATTACKER);
      await refusal(limits.beforeAuthentication('partner', ATTACKER));
      expect(audit.record).toHaveBeenCalledTimes(1);
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: 'client.locked_out',
          clientId: 'partner',
          sourceAddress: ATTACKER.sourceAddress,
          requestId: ATTACKER.requestId,
          details: expect.objectContaining({ client_id: 'partner', source_address: ATTACKER.sourceAddress }),
        }),
      );
    });

    it('keys an over-long or unprintable claimed client ID by its hash, and keeps it out of the audit client_id', async () => {
      const limits = limitsWith({ RATE_LIMIT_FAILURES_PER_CLIENT: '1' });
      const claimed = `${'x'.repeat(300)} \u0000`;
      await fail(limits, 1, ATTACKER, claimed);
      await expect(limits.beforeAuthentication(claimed, ATTACKER)).rejects.toBeInstanceOf(OAuthError);
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ clientId: null, details: expect.objectContaining({ client_id: expect.stringMatching(/^sha256:/) }) }),
      );
    });

    it('ignores requests that claim no client ID, and is off at 0', async () => {
      const limits = limitsWith({ RATE_LIMIT_FAILURES_PER_CLIENT: '0' });
      await fail(limits, 20, ATTACKER);
      await expect(limits.beforeAuthentication('partner', ATTACKER)).resolves.toBeUndefined();
      const on = limitsWith({ RATE_LIMIT_FAILURES_PER_CLIENT: '1' });
      await on.authenticationFailed(undefined, ATTACKER);
      await expect(on.beforeAuthentication(undefined, ATTACKER)).resolves.toBeUndefined();
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  describe('authenticated requests per client', () => {
    it('refuses a client past its own budget, not other clients', async () => {
      const limits = limitsWith({ RATE_LIMIT_PER_CLIENT: '2' });
      await limits.authenticated('partner');
      await limits.authenticated('partner');
      jest.advanceTimersByTime(30_000);
      const error = await refusal(limits.authenticated('partner'));
      expect(error).toMatchObject({ status: 429, error: 'too_many_requests', headers: { 'retry-after': '30' } });
      await expect(limits.authenticated('other')).resolves.toBeUndefined();
    });

    it('is spent only by authenticated requests: failures for the client ID do not touch it', async () => {
      const limits = limitsWith({ RATE_LIMIT_PER_CLIENT: '1', RATE_LIMIT_FAILURES_PER_CLIENT: '100' });
      for (let i = 0; i < 10; i++) await limits.authenticationFailed('partner', ATTACKER);
      await expect(limits.authenticated('partner')).resolves.toBeUndefined();
    });
  });
});

import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import {
  KEPT_AFTER_EXPIRY_MS,
  PURGE_INTERVAL_MS,
  REVOCATION_POLL_INTERVAL_MS,
  REVOCATION_POLL_OVERLAP_MS,
  RevocationList,
} from './revocation-list.js';
import type { RevokedTokenEntity } from './revoked-token.entity.js';
import type { RevokedToken, RevokedTokensRepository } from './revoked-tokens.repository.js';

class ManualClock extends Clock {
  constructor(private ms: number) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const START = Date.UTC(2030, 0, 1);

function revokedToken(jti: string, overrides: Partial<RevokedToken> = {}): RevokedTokenEntity {
  return {
    jti,
    clientId: 'client-1',
    organizationId: 'org-1',
    expiresAt: new Date(START + 600_000),
    revokedAt: new Date(START),
    ...overrides,
  };
}

describe('RevocationList', () => {
  let clock: ManualClock;
  let repository: jest.Mocked<RevokedTokensRepository>;
  let list: RevocationList;

  beforeEach(() => {
    clock = new ManualClock(START);
    repository = {
      insertIfAbsent: jest.fn(async () => undefined),
      listExpiringAfter: jest.fn(async () => []),
      listRevokedAfter: jest.fn(async () => []),
      deleteExpiredBefore: jest.fn(async () => undefined),
    } as unknown as jest.Mocked<RevokedTokensRepository>;
    list = new RevocationList(repository, clock);
  });

  afterEach(() => list.onModuleDestroy());

  it('loads every revocation whose token is still worth refusing at start', async () => {
    repository.listExpiringAfter.mockResolvedValue([revokedToken('a'), revokedToken('b')]);
    await list.onModuleInit();

    expect(repository.listExpiringAfter).toHaveBeenCalledWith(new Date(START - KEPT_AFTER_EXPIRY_MS));
    expect([list.isRevoked('a'), list.isRevoked('b'), list.isRevoked('c')]).toEqual([true, true, false]);
  });

  it('polls only once the application has started, so a failed start-up leaves no timer behind', async () => {
    jest.useFakeTimers();
    try {
      await list.onModuleInit();
      jest.advanceTimersByTime(REVOCATION_POLL_INTERVAL_MS * 3);
      expect(repository.listRevokedAfter).not.toHaveBeenCalled();

      list.onApplicationBootstrap();
      jest.advanceTimersByTime(REVOCATION_POLL_INTERVAL_MS);
      expect(repository.listRevokedAfter).toHaveBeenCalledTimes(1);

      await list.onModuleDestroy();
      jest.advanceTimersByTime(REVOCATION_POLL_INTERVAL_MS * 3);
      expect(repository.listRevokedAfter).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('knows a revocation made on this replica at once, after storing it', async () => {
    await list.load();
    await list.revoke(revokedToken('mine'));

    expect(repository.insertIfAbsent).toHaveBeenCalledWith(expect.objectContaining({ jti: 'mine' }));
    expect(list.isRevoked('mine')).toBe(true);
  });

  it('does not remember a revocation it could not store', async () => {
    await list.load();
    repository.insertIfAbsent.mockRejectedValue(new Error('database down'));

    await expect(list.revoke(revokedToken('lost'))).rejects.toThrow('database down');
    expect(list.isRevoked('lost')).toBe(false);
  });

  it('picks up revocations made on other replicas, asking only for rows newer than the newest seen, less an overlap', async () => {
    await list.load();
    clock.advance(REVOCATION_POLL_INTERVAL_MS);
    repository.listRevokedAfter.mockResolvedValueOnce([revokedToken('elsewhere', { revokedAt: new Date(START + 300) })]);
    await list.refresh();
    expect(list.isRevoked('elsewhere')).toBe(true);
    expect(repository.listRevokedAfter).toHaveBeenLastCalledWith(
      new Date(START - REVOCATION_POLL_OVERLAP_MS),
      new Date(START + REVOCATION_POLL_INTERVAL_MS - KEPT_AFTER_EXPIRY_MS),
    );

    clock.advance(REVOCATION_POLL_INTERVAL_MS);
    await list.refresh();
    expect(repository.listRevokedAfter).toHaveBeenLastCalledWith(new Date(START + 300 - REVOCATION_POLL_OVERLAP_MS), expect.any(Date));
  });

  it('does not let a row stamped in the future by a fast clock push the window past rows still to come', async () => {
    await list.load();
    repository.listRevokedAfter.mockResolvedValueOnce([revokedToken('ahead', { revokedAt: new Date(START + 3_600_000) })]);
    await list.refresh();
    clock.advance(REVOCATION_POLL_INTERVAL_MS);
    await list.refresh();

    expect(repository.listRevokedAfter).toHaveBeenLastCalledWith(
      new Date(START + REVOCATION_POLL_INTERVAL_MS - REVOCATION_POLL_OVERLAP_MS),
      expect.any(Date),
    );
  });

  it('keeps a revoked token past its expiry for as long as the verifier tolerates clock skew, then forgets it', async () => {
    await list.load();
    await list.revoke(revokedToken('short', { expiresAt: new Date(START + 1_000) }));

    clock.advance(1_000 + KEPT_AFTER_EXPIRY_MS - 1);
    await list.refresh();
    expect(list.isRevoked('short')).toBe(true);

    clock.advance(1);
    await list.refresh();
    expect(list.isRevoked('short')).toBe(false);
  });

  it('ignores rows of tokens that are long expired', async () => {
    repository.listExpiringAfter.mockResolvedValue([revokedToken('old', { expiresAt: new Date(START - KEPT_AFTER_EXPIRY_MS) })]);
    await list.load();

    expect(list.isRevoked('old')).toBe(false);
  });

  it('deletes expired rows from the table on the first poll and then once per purge interval', async () => {
    await list.load();
    await list.refresh();
    expect(repository.deleteExpiredBefore).toHaveBeenCalledTimes(1);
    expect(repository.deleteExpiredBefore).toHaveBeenLastCalledWith(new Date(START - KEPT_AFTER_EXPIRY_MS));

    clock.advance(PURGE_INTERVAL_MS - 1);
    await list.refresh();
    expect(repository.deleteExpiredBefore).toHaveBeenCalledTimes(1);

    clock.advance(1);
    await list.refresh();
    expect(repository.deleteExpiredBefore).toHaveBeenCalledTimes(2);
    expect(repository.deleteExpiredBefore).toHaveBeenLastCalledWith(new Date(START + PURGE_INTERVAL_MS - KEPT_AFTER_EXPIRY_MS));
  });

  it('keeps what it knows when the database cannot be read, says so once, and catches up once it can', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await list.load();
    await list.revoke(revokedToken('known'));
    repository.listRevokedAfter
      .mockRejectedValueOnce(new Error('connection refused'))
      .mockRejectedValueOnce(new Error('connection refused'));

    await expect(list.refresh()).resolves.toBeUndefined();
    await expect(list.refresh()).resolves.toBeUndefined();
    expect(list.isRevoked('known')).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);

    repository.listRevokedAfter.mockResolvedValueOnce([revokedToken('later')]);
    await list.refresh();
    expect(list.isRevoked('later')).toBe(true);
    expect(log).toHaveBeenCalledWith('Revocations are being read from the database again.');
    warn.mockRestore();
    log.mockRestore();
  });

  it('runs one poll at a time', async () => {
    await list.load();
    let release: () => void = () => undefined;
    repository.listRevokedAfter.mockReturnValueOnce(new Promise((resolve) => (release = () => resolve([]))));

    const first = list.refresh();
    const second = list.refresh();
    release();
    await Promise.all([first, second]);

    expect(repository.listRevokedAfter).toHaveBeenCalledTimes(1);
  });
});

import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Audit batches are written as multi-row INSERTs of fixed sizes
 * (audit-insert.statements.ts), several in one transaction: every event must
 * arrive once, its columns converted as TypeORM's own insert would (the
 * timestamp to the millisecond, nulls, the details JSON), on SQLite and PostgreSQL.
 */
describe('audit events written in fixed-size batches', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('writes a batch of 127 events (100 + 20 + 5 + 1 + 1 rows) whole, each as recorded', async () => {
    const audit = t.app.get(AuditLog);
    await audit.flush();
    const repository = t.app.get(DataSource).getRepository(AuditEventEntity);
    const before = await repository.count();
    const started = Date.now();

    for (let i = 0; i < 127; i++) {
      audit.record({
        action: 'test.batched',
        outcome: i % 2 === 0 ? 'success' : 'failure',
        clientId: i % 3 === 0 ? null : `client-${i}`,
        targetType: 'thing',
        targetId: `t-${i}`,
        details: { n: i, note: `event ${i}` },
      });
    }
    await audit.flush();

    const rows = await repository.find({ where: { action: 'test.batched' }, order: { id: 'ASC' } });
    expect(await repository.count()).toBe(before + 127);
    expect(rows.map((row) => row.targetId)).toEqual(Array.from({ length: 127 }, (_, i) => `t-${i}`));
    for (const [i, row] of rows.entries()) {
      expect(row).toMatchObject({
        outcome: i % 2 === 0 ? 'success' : 'failure',
        clientId: i % 3 === 0 ? null : `client-${i}`,
        organizationId: null,
        targetType: 'thing',
      });
      expect(JSON.parse(row.details)).toEqual({ n: i, note: `event ${i}` });
      expect(row.occurredAt).toBeInstanceOf(Date);
      expect(row.occurredAt.getTime()).toBeGreaterThanOrEqual(started);
      expect(row.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });
});

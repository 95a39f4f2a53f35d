import { DataSource } from 'typeorm';
import { GroupMembershipEntity } from '../../../src/resources/groups/group-membership.entity.js';
import { expectProblem, organizationToken } from '../../support/factories.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * PostgreSQL only (jest.config.js runs test/e2e/postgres/ when TEST_DATABASE_URL
 * is set): SQLite has one writer at a time and no row locks, so there is no
 * concurrent transaction to hold open against it.
 */
describe('group membership changes racing a member deletion (PostgreSQL row locks)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ token } = await organizationToken(t));
  });
  afterAll(() => t.close());

  it('makes the membership change wait for the deletion in flight, then refuses that member', async () => {
    const member = (await t.http().post('/api/v1/members').auth(token, { type: 'bearer' }).send({ user_name: 'leaving' })).body as {
      id: string;
    };
    const group = (await t.http().post('/api/v1/groups').auth(token, { type: 'bearer' }).send({ display_name: 'team' })).body as {
      id: string;
    };
    const deletion = t.app.get(DataSource).createQueryRunner();
    await deletion.connect();
    await deletion.startTransaction();
    try {
      await deletion.query('UPDATE members SET deleted_at = $1, version = version + 1 WHERE id = $2', [new Date(), member.id]);
      const patch = t
        .http()
        .patch(`/api/v1/groups/${group.id}`)
        .auth(token, { type: 'bearer' })
        .send({ member_ids: [member.id] })
        .then((response) => response);
      // Long enough for the PATCH to reach the lock it must wait on; the assertion does not depend on it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await deletion.commitTransaction();

      const problem = expectProblem(await patch, 400, 'validation_failed');
      expect(problem.errors).toContainEqual({ field: 'member_ids', message: 'member_ids[0] is not a live member of this organization' });
    } finally {
      if (deletion.isTransactionActive) await deletion.rollbackTransaction();
      await deletion.release();
    }
    expect(await t.app.get(DataSource).getRepository(GroupMembershipEntity).countBy({ memberId: member.id })).toBe(0);
  });
});

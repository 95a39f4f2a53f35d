import { DataSource, IsNull } from 'typeorm';
import { MemberEntity } from '../../src/resources/members/member.entity.js';
import { MembersRepository } from '../../src/resources/members/members.repository.js';
import { organizationToken } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * GET /members/:id reads through a statement written once (row-query.ts)
 * instead of findOneBy: the entity must be exactly the one TypeORM would have
 * built, every column converted alike (dates, booleans, nulls), on SQLite and
 * PostgreSQL, and the organization and tombstone conditions must still hold.
 */
describe('the single-member read', () => {
  let t: TestApp;
  let token: string;
  let organizationId: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ token, organizationId } = await organizationToken(t));
  });
  afterAll(() => t.close());

  async function created(fields: Record<string, unknown>): Promise<string> {
    const response = await t.http().post('/api/v1/members').auth(token, { type: 'bearer' }).send(fields);
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const viaTypeOrm = (id: string) =>
    t.app.get(DataSource).getRepository(MemberEntity).findOneBy({ organizationId, id, deletedAt: IsNull() });

  it('returns the entity findOneBy returns, column for column', async () => {
    const full = await created({
      user_name: 'full.member',
      email: 'Full.Member@Example.com',
      display_name: 'Full Member',
      given_name: 'Full',
      family_name: 'Member',
      title: 'Engineer',
      department: 'R&D',
      active: false,
      external_id: 'ext-1',
    });
    const sparse = await created({ user_name: 'sparse.member' });
    const members = t.app.get(MembersRepository);

    for (const id of [full, sparse]) {
      const read = await members.findLive(organizationId, id);
      expect(read).toBeInstanceOf(MemberEntity);
      expect(read).toEqual(await viaTypeOrm(id));
    }
    expect((await members.findLive(organizationId, full))?.active).toBe(false);
    expect((await members.findLive(organizationId, full))?.createdAt).toBeInstanceOf(Date);
  });

  it('finds nothing in another organization, after a delete, or for an ID that is no UUID', async () => {
    const id = await created({ user_name: 'short.lived' });
    const members = t.app.get(MembersRepository);

    expect(await members.findLive('00000000-0000-7000-8000-000000000000', id)).toBeNull();
    expect(await members.findLive(organizationId, 'not-a-uuid')).toBeNull();
    expect((await t.http().delete(`/api/v1/members/${id}`).auth(token, { type: 'bearer' })).status).toBe(204);
    expect(await members.findLive(organizationId, id)).toBeNull();
  });
});

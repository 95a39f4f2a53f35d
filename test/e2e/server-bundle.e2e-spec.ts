import { randomUUID } from 'node:crypto';
import { createOrganization, expectProblem, obtainToken, adminToken, createClient } from '../support/factories.js';
import { compileOrgsync, killed, type OrgsyncChild, startOrgsyncChild } from '../support/orgsync-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The bundle `npm start` runs (scripts/bundle-server.mjs), where a package
 * copied into the bundle and also required by name at run time would exist
 * twice. Nest's mapped types (PickType) copy class-validator rules by
 * requiring class-validator and class-transformer at run time: with second
 * copies, a derived query DTO got its rules three times over and lost its
 * @Type conversion, so `?limit=5` was refused.
 */
describe('the bundled server', () => {
  let build: Awaited<ReturnType<typeof compileOrgsync>>;
  let database: TestDatabase;
  let child: OrgsyncChild;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    build = await compileOrgsync();
    child = await startOrgsyncChild(build.main, database, {});
    const admin = await adminToken(child);
    const organization = await createOrganization(child, admin);
    const client = await createClient(child, admin, organization.id, { scope: 'groups:read members:read' });
    token = await obtainToken(child, client.client_id, client.client_secret);
  }, 180_000);
  afterAll(async () => {
    if (child) await killed(child.child);
    await database?.drop();
    await build?.remove();
  });

  it('runs from dist/server, not from the compiled modules', () => {
    expect(build.main).toMatch(/[/\\]server[/\\]main\.js$/);
  });

  it.each(['0', '501', 'ten'])('validates a query DTO derived with PickType: limit=%s is a 400 naming the field', async (limit) => {
    const response = await child.http().get(`/api/v1/groups/${randomUUID()}/members`).query({ limit }).auth(token, { type: 'bearer' });
    const problem = expectProblem(response, 400, 'validation_failed');
    expect(problem.errors).toEqual([{ field: 'limit', message: 'limit must be a whole number between 1 and 500' }]);
  });

  it('still answers a valid query on the derived DTO', async () => {
    const response = await child.http().get(`/api/v1/groups/${randomUUID()}/members`).query({ limit: '5' }).auth(token, { type: 'bearer' });
    expectProblem(response, 404, 'not_found');
  });
});

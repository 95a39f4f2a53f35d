import { organizationWithClient, obtainToken } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('a partner, from nothing to a protected call', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('obtains a token for its organization and reads that organization', async () => {
    const { organizationId, client } = await organizationWithClient(t);
    const token = await obtainToken(t, client.client_id, client.client_secret, 'org:read');
    const response = await t.http().get('/api/v1/organization').auth(token, { type: 'bearer' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: organizationId, name: 'Acme Corp' });
  });
});

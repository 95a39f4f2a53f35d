import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/** SQLite's planner chooses the list filters' indexes from statistics; the server gathers them from its start. */
describe('SQLite planner statistics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are gathered when the server starts on a new database', async () => {
    const rows = (await t.app.get(DataSource).query("SELECT stat FROM sqlite_stat1 WHERE tbl = 'migrations'")) as Array<{ stat: string }>;

    expect(rows).toEqual([{ stat: expect.stringMatching(/^\d+/) }]);
  });
});

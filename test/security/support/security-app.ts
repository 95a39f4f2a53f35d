import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * The attack suites fire many failing requests from one address on purpose;
 * the abuse limits (tested on their own) would otherwise turn the exact
 * answers asserted here into 429s half-way through a file.
 */
export const LIMITS_OFF: Readonly<Record<string, string>> = {
  RATE_LIMIT_PER_ADDRESS: '0',
  RATE_LIMIT_PER_CLIENT: '0',
  RATE_LIMIT_FAILURES_PER_CLIENT: '0',
  SYNC_ENABLED: 'false',
};

/** One application per attack file, its abuse limits off. */
export function startSecurityApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({ ...LIMITS_OFF, ...env });
}

/** Rows of a table, straight from the database, to prove an attack changed nothing. */
export async function countRows(t: TestApp, table: string): Promise<number> {
  const rows = (await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`)) as Array<{ n: number | string }>;
  return Number(rows[0]!.n);
}

import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rssBytes } from '../load/process-sampler.js';
import type { StartupResult } from '../results.js';
import { sqliteDatabase } from '../servers/bench-database.js';
import { startBenchOrgsync } from '../servers/orgsync-server.js';

/**
 * Time from spawn to the first 200 from GET /health/ready (polled every
 * 10 ms), on a new SQLite database (migrations, the first signing key, the
 * bootstrap admin) and again on the database that first start left; then the
 * RSS of the second process once it has been ready and idle for a while.
 */
export async function measureStartup(dir: string, idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 5)): Promise<StartupResult> {
  const startupDir = join(dir, 'startup');
  await mkdir(startupDir, { recursive: true });
  const database = sqliteDatabase(startupDir, 'startup');
  // The second start must find the same key and admin the first one recorded.
  const env = {
    SECRETS_KEY: randomBytes(32).toString('hex'),
    BOOTSTRAP_ADMIN_CLIENT_ID: 'bench-platform-admin',
    BOOTSTRAP_ADMIN_CLIENT_SECRET: randomBytes(32).toString('hex'),
  };
  const fresh = await startBenchOrgsync({ database, dir: startupDir, logName: 'startup-fresh.log', env });
  await fresh.stop();
  const existing = await startBenchOrgsync({ database, dir: startupDir, logName: 'startup-existing.log', env });
  try {
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const idleRssBytes = (await rssBytes(existing.pid!)) ?? 0;
    return {
      database: database.label,
      freshReadyMs: fresh.readyAfterMs,
      existingReadyMs: existing.readyAfterMs,
      idleRssBytes,
      idleSeconds,
    };
  } finally {
    await existing.stop();
  }
}

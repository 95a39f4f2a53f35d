/**
 * Bulk-inserts members into one organization, straight into the database
 * through TypeORM with orgsync's own entities and DataSource options, in
 * chunks: 100,000 members through the API would take
 * minutes and measure nothing we report. One transaction per chunk, so a
 * running orgsync's own writes (the audit log) are never held up for long.
 *
 * Runs as its own process (`node dist/bench/seed-members.js`) because entity
 * column types follow the process's DATABASE_URL (database/column-types.ts),
 * and one harness run seeds SQLite and PostgreSQL. Reads DATABASE_URL,
 * SEED_ORGANIZATION_ID and SEED_COUNT; prints {"inserted":n,"seconds":s}.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { MemberEntity } from '../src/resources/members/member.entity.js';

/** 17 columns a row: 500 rows stay well inside SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const CHUNK = 500;

async function seed(): Promise<void> {
  const organizationId = required('SEED_ORGANIZATION_ID');
  const count = Number(required('SEED_COUNT'));
  const started = performance.now();
  const dataSource = new DataSource(buildDataSourceOptions(AppConfig.fromEnvironment({ DATABASE_URL: required('DATABASE_URL') })));
  await dataSource.initialize();
  try {
    for (let from = 0; from < count; from += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, count - from) }, (_, i) => benchMember(organizationId, from + i));
      await dataSource.createQueryBuilder().insert().into(MemberEntity).values(rows).updateEntity(false).execute();
    }
    // PostgreSQL's autovacuum analyzes a table within about a minute of a bulk change; until then the planner
    // believes the organization has a handful of rows and sorts all 100,000 for one page. Measure the steady
    // state, not that minute. SQLite has no such daemon: whatever orgsync does about statistics is left to it.
    if (dataSource.options.type === 'postgres') await dataSource.query('ANALYZE members');
  } finally {
    await dataSource.destroy();
  }
  process.stdout.write(`${JSON.stringify({ inserted: count, seconds: (performance.now() - started) / 1000 })}\n`);
}

/** A member as the API would have created it (source "api", version 1), with every field filled. */
function benchMember(organizationId: string, n: number): MemberEntity {
  const name = `bench-${String(n).padStart(6, '0')}`;
  const now = new Date();
  return Object.assign(new MemberEntity(), {
    id: uuidv7(),
    organizationId,
    externalId: `ext-${name}`,
    userName: name,
    email: `${name}@bench.example`,
    emailNormalized: `${name}@bench.example`,
    displayName: `Bench User ${n}`,
    givenName: 'Bench',
    familyName: `User ${n}`,
    title: 'Engineer',
    department: 'Benchmarks',
    active: true,
    source: 'api',
    version: 1,
    syncSeenRun: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

seed().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

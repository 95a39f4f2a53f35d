// Nest 12 ships ES modules only, so Jest runs in its native ESM mode
// (node --experimental-vm-modules) and @swc/jest compiles TypeScript to ESM.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const swc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));

export default {
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  // Tests of one database's own machinery belong to that database's run alone: test/e2e/postgres (row locks,
  // advisory locks, replicas), test/e2e/sqlite (WAL checkpoints, planner statistics).
  testPathIgnorePatterns: ['/node_modules/', process.env.TEST_DATABASE_URL ? '<rootDir>/test/e2e/sqlite/' : '<rootDir>/test/e2e/postgres/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  testTimeout: 30_000,
  // Never in band: each test file loads the whole app afresh in native ESM mode, and one long-lived process grows to
  // gigabytes and slows to a crawl in garbage collection. Workers are recycled once they hold too much.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  workerIdleMemoryLimit: '1GB',
  // A worker that has run its share of the files holds up to that much heap, and tearing it down takes longer than
  // Jest's default 500 ms (410 and 662 ms measured at the end of a full run, with no open handle: it exits by
  // itself). Past the default Jest kills it and prints "A worker process has failed to exit gracefully", a false
  // alarm; a handle truly left open still gets that warning, three seconds later.
  workerGracefulExitTimeout: 3_000,
};

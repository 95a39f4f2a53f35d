import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { AppConfig } from '../../src/config/app-config.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const ADMIN_CLIENT_ID = 'test-platform-admin';
export const ADMIN_CLIENT_SECRET = `orgsync_cs_${randomBytes(32).toString('base64url')}`;

/** Collects the log lines an app writes (a pino destination), for tests that read its logs. */
export class LogCapture {
  private readonly chunks: string[] = [];

  write(chunk: string): void {
    this.chunks.push(chunk);
  }

  /** Everything written, as written. */
  text(): string {
    return this.chunks.join('');
  }

  /** Every line, parsed (JSON format only). */
  lines(): Record<string, unknown>[] {
    return this.text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestAppOptions {
  /** Collect the app's log lines here (at LOG_LEVEL, default info) instead of writing none. */
  readonly logs?: LogCapture;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly database: TestDatabase;
  /** The base URL the server listens on (127.0.0.1, a free port), which is also its issuer. */
  readonly baseUrl: string;
  http(): ReturnType<typeof request>;
  /** Restarts nothing; closes the app and drops the database (unless the caller brought the database). */
  close(): Promise<void>;
}

/**
 * Boots the real application (AppModule on Fastify) in this process against a
 * database of its own, listening on 127.0.0.1, with a bootstrap admin client.
 * Given an existing database, the app runs on it (beside the CLI, or after
 * another app) and leaves dropping it to the caller; its SECRETS_KEY must then
 * come in `env`, the same for every process using that database.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  existingDatabase?: TestDatabase,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = existingDatabase ?? (await createTestDatabase());
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = AppConfig.fromEnvironment(
    {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      ISSUER: baseUrl,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN_CLIENT_ID,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: ADMIN_CLIENT_SECRET,
      NODE_ENV: 'test',
      // Quiet unless a test reads the logs; TEST_LOG_LEVEL=debug shows them when chasing a failure.
      LOG_LEVEL: options.logs ? 'info' : (process.env.TEST_LOG_LEVEL ?? 'silent'),
      ...env,
    },
    database.dataDir,
  );
  const app = await createApp(config, { logDestination: options.logs });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    config,
    database,
    baseUrl,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (!existingDatabase) await database.drop();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

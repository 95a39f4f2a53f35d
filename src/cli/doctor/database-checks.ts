import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { describeDatabase } from '../../config/database-url.js';
import { SecretsKeyring } from '../../common/crypto/secrets-keyring.js';
import { buildDataSourceOptions } from '../../database/data-source-options.js';
import { FINGERPRINT_SETTING } from '../../database/secrets-key-fingerprint.js';
import { SettingEntity } from '../../database/setting.entity.js';
import { SigningKeyEntity } from '../../oauth/keys/signing-key.entity.js';
import { SigningKeysRepository } from '../../oauth/keys/signing-keys.repository.js';
import { type CheckResult, fail, messageOf, notChecked, ok, warn } from './doctor-check.js';
import type { RootKeySource } from './installation-checks.js';

const CLOCK_WARN_MS = 2_000;
/** Tokens are checked with 60 s of leeway (exp, nbf): beyond that, replicas disagree on what is valid. */
const CLOCK_FAIL_MS = 60_000;

/**
 * The checks that read the database. Read only: doctor applies no migration
 * and records no fingerprint (every other command does both at start), so it
 * can be pointed at a production database safely, and says what a start would do.
 */
export async function checkDatabase(config: AppConfig, rootKey: RootKeySource): Promise<CheckResult[]> {
  const where = describeDatabase(config.database);
  if (config.database.kind === 'sqlite' && !existsSync(config.database.path)) {
    return [
      ok('database', `${where} does not exist yet; the first start creates it`),
      ok('migrations', `a new database: the first start applies all ${migrationNames(config).length} migrations`),
      ok('secrets key fingerprint', 'not recorded yet; the first start records it'),
      warn('signing key', 'none yet: created at the first server start'),
      ok('clock', "SQLite uses this machine's clock"),
    ];
  }
  const dataSource = new DataSource({ ...buildDataSourceOptions(config), migrationsRun: false });
  try {
    await dataSource.initialize();
  } catch (error) {
    const because = 'the database is unreachable';
    return [
      fail('database', `cannot connect to ${where}: ${redact(messageOf(error), config)}`),
      ...['migrations', 'secrets key fingerprint', 'signing key', 'clock'].map((check) => notChecked(check, because)),
    ];
  }
  try {
    const fingerprint = await checkFingerprint(dataSource, rootKey);
    return [
      ok('database', `connected to ${where}`),
      await checkMigrations(dataSource, config),
      fingerprint,
      fingerprint.status === 'ok' ? await checkSigningKey(dataSource, rootKey, config) : notChecked('signing key', 'no usable secrets key'),
      await checkClock(dataSource),
    ];
  } finally {
    await dataSource.destroy();
  }
}

function migrationNames(config: AppConfig): string[] {
  return (buildDataSourceOptions(config).migrations as Array<new () => { name?: string }>).map((migration) => {
    const instance = new migration();
    return instance.name ?? migration.name;
  });
}

async function hasTable(dataSource: DataSource, table: string): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  try {
    return await runner.hasTable(table);
  } finally {
    await runner.release();
  }
}

async function checkMigrations(dataSource: DataSource, config: AppConfig): Promise<CheckResult> {
  const known = migrationNames(config);
  if (!(await hasTable(dataSource, 'migrations')))
    return ok('migrations', `a new database: the first start applies all ${known.length} migrations`);
  const applied = new Set(((await dataSource.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((row) => row.name));
  const pending = known.filter((name) => !applied.has(name));
  const unknown = [...applied].filter((name) => !known.includes(name));
  // The server and the CLI refuse to start on such a schema (src/database/migration-plan.ts).
  if (unknown.length > 0)
    return fail(
      'migrations',
      `the database schema is newer than this orgsync (${unknown.join(', ')}); run that newer version, or restore a backup from before the upgrade`,
    );
  if (pending.length > 0) {
    return fail('migrations', `pending: ${pending.join(', ')}; a server start (or any other orgsync command) applies them`);
  }
  return ok('migrations', `all ${known.length} applied`);
}

async function checkFingerprint(dataSource: DataSource, rootKey: RootKeySource): Promise<CheckResult> {
  const check = 'secrets key fingerprint';
  const recorded = (await hasTable(dataSource, 'settings'))
    ? await dataSource.getRepository(SettingEntity).findOneBy({ name: FINGERPRINT_SETTING })
    : null;
  if (!recorded) return ok(check, 'not recorded yet; the first start records it');
  if (rootKey.kind === 'missing-file' || rootKey.kind === 'unreadable-file') {
    return fail(check, `the database was set up with a SECRETS_KEY, but SECRETS_KEY is not set and ${rootKey.path} is missing or unusable`);
  }
  if (new SecretsKeyring(rootKey.key).fingerprint() === recorded.value) return ok(check, 'SECRETS_KEY matches the database');
  return fail(
    check,
    rootKey.kind === 'env'
      ? 'SECRETS_KEY is not the key this database was set up with: use the same SECRETS_KEY for every process'
      : `SECRETS_KEY is not set and the generated key ${rootKey.path} is not the key this database was set up with`,
  );
}

async function checkSigningKey(dataSource: DataSource, rootKey: RootKeySource, config: AppConfig): Promise<CheckResult> {
  const check = 'signing key';
  if (!(await hasTable(dataSource, 'signing_keys'))) return warn(check, 'none yet: created at the first server start');
  const active = await new SigningKeysRepository(dataSource.getRepository(SigningKeyEntity)).findActive();
  if (!active) return warn(check, 'none yet: created at the first server start (or run orgsync keys rotate)');
  if (rootKey.kind !== 'env' && rootKey.kind !== 'file') return notChecked(check, 'no usable secrets key');
  try {
    createPrivateKey(new SecretsKeyring(rootKey.key).decrypt(active.privateKey));
  } catch {
    return fail(check, `the active key ${active.kid} cannot be decrypted with this SECRETS_KEY`);
  }
  const age = `${active.kid} (${active.alg}), created ${active.createdAt.toISOString()}`;
  if (active.alg !== config.oauth.signingAlg) {
    return warn(
      check,
      `${age}; SIGNING_ALG is ${config.oauth.signingAlg}: the next server start rotates to a ${config.oauth.signingAlg} key`,
    );
  }
  return ok(check, `${age}, decrypts with this SECRETS_KEY`);
}

/** Access tokens carry iat, nbf and exp: a server whose clock is off issues tokens others refuse. */
async function checkClock(dataSource: DataSource): Promise<CheckResult> {
  if (dataSource.options.type !== 'postgres') return ok('clock', "SQLite uses this machine's clock");
  const before = Date.now();
  const [row] = (await dataSource.query('SELECT now() AS now')) as Array<{ now: Date | string }>;
  const local = (before + Date.now()) / 2;
  const offsetMs = new Date(row!.now).getTime() - local;
  const detail = `this machine is ${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the database`;
  if (Math.abs(offsetMs) > CLOCK_FAIL_MS) return fail('clock', `${detail}: tokens would be refused (exp, nbf); fix the time (NTP)`);
  if (Math.abs(offsetMs) > CLOCK_WARN_MS) return warn('clock', `${detail}; keep clocks in sync (NTP)`);
  return ok('clock', detail);
}

/** A driver's message never carries the password, but make sure. */
function redact(message: string, config: AppConfig): string {
  if (config.database.kind !== 'postgres') return message;
  try {
    const password = decodeURIComponent(new URL(config.database.url).password);
    return password ? message.split(password).join('***') : message;
  } catch {
    return message;
  }
}

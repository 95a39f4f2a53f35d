import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../../config/app-config.js';
import { SECRETS_KEY_FILE } from '../../common/crypto/secrets-key-file.js';
import { type CheckResult, fail, messageOf, ok, warn } from './doctor-check.js';

/** Where this process's root key comes from, as the server would find it, without generating one. */
export type RootKeySource =
  | { readonly kind: 'env'; readonly key: Buffer }
  | { readonly kind: 'file'; readonly path: string; readonly key: Buffer }
  | { readonly kind: 'missing-file'; readonly path: string }
  | { readonly kind: 'unreadable-file'; readonly path: string; readonly reason: string };

export async function findRootKey(config: AppConfig): Promise<RootKeySource> {
  if (config.secretsKey) return { kind: 'env', key: config.secretsKey };
  const path = join(config.dataDir, SECRETS_KEY_FILE);
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) return { kind: 'unreadable-file', path, reason: 'it does not hold a 32-byte hex key' };
    return { kind: 'file', path, key: Buffer.from(hex, 'hex') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing-file', path };
    return { kind: 'unreadable-file', path, reason: messageOf(error) };
  }
}

/** RFC 8414 section 2: configuration already refuses a cleartext issuer outside development, except on loopback. */
export function checkIssuer(config: AppConfig): CheckResult {
  const issuer = config.oauth.issuer;
  if (issuer.startsWith('https://')) return ok('issuer', issuer);
  if (config.environment !== 'production') return ok('issuer', `${issuer} (http is for development and tests only)`);
  return warn('issuer', `${issuer}: http on loopback only; partners elsewhere need an https ISSUER`);
}

export function checkSecretsKey(config: AppConfig, source: RootKeySource): CheckResult {
  const production = config.environment === 'production';
  const advice = 'set SECRETS_KEY (the same on every replica) in production';
  switch (source.kind) {
    case 'env':
      return ok('secrets key', 'SECRETS_KEY is set');
    case 'file':
      return (production ? warn : ok)('secrets key', `SECRETS_KEY is not set: using the generated key ${source.path}; ${advice}`);
    case 'missing-file':
      return (production ? warn : ok)(
        'secrets key',
        `SECRETS_KEY is not set: the first start generates a key at ${source.path} (back it up); ${advice}`,
      );
    case 'unreadable-file':
      return fail('secrets key', `SECRETS_KEY is not set and the key file ${source.path} is unusable: ${source.reason}`);
  }
}

/** The data directory holds the SQLite file and the generated key: it must exist and be writable, or be creatable. */
export async function checkDataDirectory(config: AppConfig): Promise<CheckResult | undefined> {
  if (config.database.kind !== 'sqlite' && config.secretsKey) return undefined;
  const dir = config.dataDir;
  let existing = dir;
  while (!(await exists(existing)) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    await access(existing, constants.W_OK);
  } catch {
    return fail('data directory', `${existing} is not writable: the server cannot create ${dir === existing ? 'its files there' : dir}`);
  }
  return ok('data directory', existing === dir ? `${dir} is writable` : `${dir} does not exist yet; the first start creates it`);
}

export function checkBootstrapAdmin(config: AppConfig): CheckResult {
  return ok(
    'bootstrap admin',
    config.bootstrapAdmin
      ? `BOOTSTRAP_ADMIN_CLIENT_ID=${config.bootstrapAdmin.clientId}: ensured at every server start`
      : 'not configured (BOOTSTRAP_ADMIN_CLIENT_ID and BOOTSTRAP_ADMIN_CLIENT_SECRET unset)',
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

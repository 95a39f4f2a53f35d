import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateRootKey } from './secrets-keyring.js';

export const SECRETS_KEY_FILE = 'secrets.key';

export interface LoadedRootKey {
  readonly key: Buffer;
  /** The key file. */
  readonly path: string;
  /** Set when the key was created just now, so start-up can say so. */
  readonly generatedAt?: string;
}

/**
 * The embedded default: without SECRETS_KEY, a key is generated once into the
 * data directory (beside the SQLite file) and reused on every later start.
 * The exclusive create ('wx') makes two processes starting together agree.
 */
export async function loadOrCreateRootKey(dataDir: string): Promise<LoadedRootKey> {
  const path = join(dataDir, SECRETS_KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(path, `${generateRootKey().toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    return { key: await readKey(path), path, generatedAt: path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: await readKey(path), path };
  }
}

async function readKey(path: string): Promise<Buffer> {
  const hex = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${path} does not hold a 32-byte hex key.`);
  return Buffer.from(hex, 'hex');
}

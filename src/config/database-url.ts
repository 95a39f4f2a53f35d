import { dirname, isAbsolute, resolve } from 'node:path';

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Connections this process may hold at most (node-postgres pool `max`); N replicas hold up to N times this. */
      readonly poolSize: number;
    };

export const DEFAULT_POOL_SIZE = 10;

export const DEFAULT_SQLITE_PATH = 'data/orgsync.sqlite';

/**
 * DATABASE_URL unset: the embedded SQLite file ./data/orgsync.sqlite.
 * `sqlite:<path>`: another SQLite file, relative to the working directory or absolute.
 * `postgres://...`: PostgreSQL.
 */
export function parseDatabaseUrl(url: string | undefined, cwd: string, poolSize = DEFAULT_POOL_SIZE): DatabaseConfig {
  if (url === undefined || url === '') return { kind: 'sqlite', path: resolve(cwd, DEFAULT_SQLITE_PATH) };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  return { kind: 'postgres', url, poolSize };
}

/** Where the server keeps files of its own (the generated secrets key): beside the SQLite file. */
export function dataDirectoryFor(database: DatabaseConfig, cwd: string): string {
  return database.kind === 'sqlite' ? dirname(database.path) : resolve(cwd, 'data');
}

/** A database URL fit for logs: the password never leaves this function. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `SQLite ${database.path}`;
  try {
    const url = new URL(database.url);
    if (url.password) url.password = '***';
    // libpq accepts credentials as query parameters too (password=, sslpassword=).
    for (const name of [...url.searchParams.keys()]) if (/pass|secret/i.test(name)) url.searchParams.set(name, '***');
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}

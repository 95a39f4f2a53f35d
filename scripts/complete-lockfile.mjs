#!/usr/bin/env node
// Some dependencies (@swc/core, the resolver jest uses) list one optional
// binary package per platform. When the registry npm talks to does not serve
// every platform's binary, `npm install` leaves those entries out of
// package-lock.json, and `npm ci` then refuses the lockfile as out of sync.
// This adds an entry for each missing optional package, version only: npm ci
// installs it where the platform matches and skips it elsewhere, as it does
// for any optional dependency. Run it after changing dependencies.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const entry of Object.values(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: added ${added} optional platform package entr${added === 1 ? 'y' : 'ies'}\n`);

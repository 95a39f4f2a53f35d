#!/usr/bin/env node
// Bundles the compiled server (dist/src/main.js, what `nest build` writes) into
// dist/server/main.js, the file `npm start` and `npm run start:prod` run.
//
// Why: a start of the unbundled server spends most of its time in Node's module
// loader: resolving, reading and compiling some 1,300 files (428 of them
// es-toolkit's lodash-compatible functions, through @nestjs/swagger's
// decorators). The bundle is ready in about 55 % of that time; docs/benchmarks.md
// has the figures. The CLI and `npm run start:dev` keep the unbundled modules.
//
// The two worker threads are bundled beside main.js, under the names the
// server's `new URL('./<name>.worker.js', import.meta.url)` expects, so the
// same code finds them in either layout. Only whitespace and comments are
// minified (a smaller source holds less memory: idle RSS fell by about 10 MB);
// names stay, so Nest's injection tokens and TypeORM's entities keep their class
// names and stack traces name every function. `node --enable-source-maps`
// maps the traces to the sources through main.js.map.
//
//   node scripts/bundle-server.mjs [--from dist/src] [--to dist/server]
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Left to Node at run time:
 * - better-sqlite3, a native addon;
 * - pino, which finds its transport worker files beside its own (__dirname);
 * - packages other packages require by name at run time, which a bundled copy
 *   would make two instances of: @nestjs/mapped-types (PickType) requires
 *   class-validator and class-transformer to copy a DTO's rules into the
 *   instance ValidationPipe reads; @nestjs/typeorm requires typeorm, which
 *   requires reflect-metadata (the decorators' metadata store);
 * - what orgsync imports lazily (the first JWT client assertion, the first
 *   Redis rate limit, pretty logs), so a start that never needs it never loads it;
 * - optional peers that Nest and @nestjs/platform-fastify import only when an
 *   application uses them (microservices, websockets, Express, multipart, views)
 *   and orgsync does not install.
 * TypeORM and pg require their other drivers by computed names, at run time.
 */
export const EXTERNAL_PACKAGES = [
  'better-sqlite3',
  'pino',
  'class-validator',
  'class-transformer',
  'typeorm',
  'reflect-metadata',
  'ioredis',
  'jose',
  'pino-pretty',
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-express',
  '@fastify/multipart',
  '@fastify/view',
];

const ENTRY_POINTS = {
  main: 'main.js',
  'jws-signing.worker': 'oauth/tokens/jws-signing.worker.js',
  'sqlite-checkpoint.worker': 'database/sqlite-checkpoints/sqlite-checkpoint.worker.js',
};

/** Bundles `from` (the compiled src/ directory) into `to`; resolves with the files written. */
export async function bundleServer(from, to) {
  const result = await build({
    entryPoints: Object.entries(ENTRY_POINTS).map(([out, file]) => ({ in: resolve(from, file), out })),
    outdir: to,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    keepNames: true,
    minifyWhitespace: true,
    sourcemap: 'linked',
    external: EXTERNAL_PACKAGES,
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __orgsyncCreateRequire } from 'node:module'; const require = __orgsyncCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    metafile: true,
  });
  const files = Object.keys(result.metafile.outputs);
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    await writeFile(file, nameOnlyWhenDifferent(await readFile(file, 'utf8'), file));
  }
  return files;
}

/**
 * keepNames wraps every function esbuild might rename in `__name(fn, 'name')`,
 * which redefines fn.name with Object.defineProperty even when the function
 * already bears that name. Many of those wraps sit inside functions that run
 * on every request (Fastify's hook runner, passport's authenticate, Nest's
 * execution context): some 26 redefinitions a protected read, each a call into
 * the runtime that moves the function to another map. Skipping the 15 or so
 * that change nothing (function declarations) cut callgrind's count of
 * instructions a read by about a tenth (docs/benchmarks.md). A function whose
 * name differs is still named, as before: one renamed to avoid a clash in the
 * bundle, or one esbuild's wrapping leaves anonymous (`__name(() => …, 'x')`).
 *
 * The new helper is padded to the old one's length: the rest of its line keeps
 * its columns, so main.js.map still maps every position. An esbuild whose
 * helper reads otherwise fails the build here rather than run without this.
 */
const NAME_HELPER = 'var __name=(target,value)=>__defProp(target,"name",{value,configurable:true});';
const NAME_HELPER_UNLESS_NAMED = 'var __name=(f,n)=>f.name===n?f:__defProp(f,"name",{value:n,configurable:!0});';

export function nameOnlyWhenDifferent(source, file = 'the bundle') {
  if (!source.includes('__name(')) return source;
  const at = source.indexOf(NAME_HELPER);
  if (at === -1 || source.indexOf(NAME_HELPER, at + 1) !== -1) {
    throw new Error(`${file}: esbuild's __name helper is not the one scripts/bundle-server.mjs rewrites (${NAME_HELPER}).`);
  }
  const replacement = NAME_HELPER_UNLESS_NAMED.padEnd(NAME_HELPER.length, ' ');
  return source.slice(0, at) + replacement + source.slice(at + NAME_HELPER.length);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { from: { type: 'string', default: 'dist/src' }, to: { type: 'string', default: 'dist/server' } },
  });
  const files = await bundleServer(resolve(values.from), resolve(values.to));
  process.stdout.write(`bundle-server: wrote ${files.filter((file) => !file.endsWith('.map')).join(', ')}\n`);
}

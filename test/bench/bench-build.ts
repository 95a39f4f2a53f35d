import { transformFile } from '@swc/core';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCompiledServer } from '../support/server-bundle.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchBuild {
  /** The directory holding bench/, src/ and examples/, compiled. */
  readonly out: string;
  remove(): Promise<void>;
}

/**
 * The harness, orgsync and the examples compiled into a temporary directory
 * with swc and the project's .swcrc (the compiler the tests already run the
 * whole application through, decorator metadata included): under a second,
 * where tsc takes half a minute, and no dist/ needed, so it works on a fresh
 * clone and never runs a stale build. Types are tsc's job (npx tsc --noEmit).
 * Then bundled, as `npm run build` does.
 */
export async function compileBench(): Promise<BenchBuild> {
  const swc = JSON.parse(await readFile(join(ROOT, '.swcrc'), 'utf8')) as Record<string, unknown>;
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-bench-build-'));
  const out = join(dir, 'out');
  const files: string[] = [];
  for (const folder of ['src', 'examples', 'bench']) {
    const names = await readdir(join(ROOT, folder), { recursive: true });
    files.push(...names.filter((name) => /(?<!\.spec|\.d)\.ts$/.test(name)).map((name) => join(folder, name)));
  }
  await Promise.all(
    files.map(async (file) => {
      const { code } = await transformFile(join(ROOT, file), { ...swc, swcrc: false, sourceMaps: false });
      const target = join(out, file.replace(/\.ts$/, '.js'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, code);
    }),
  );
  // ES modules (package.json "type") that resolve their dependencies from the project.
  await writeFile(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  // The harness starts orgsync as production does: bundled (out/server/main.js).
  await bundleCompiledServer(ROOT, out);
  return { out, remove: () => rm(dir, { recursive: true, force: true }) };
}

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The bundle step of `npm run build` (scripts/bundle-server.mjs) run on a
 * compiled tree: `<out>/src` → `<out>/server`, so tests start the server in
 * the form `npm start` and `npm run start:prod` run. Resolves with the bundled
 * main.js.
 */
export async function bundleCompiledServer(root: string, out: string): Promise<string> {
  const script = join(root, 'scripts', 'bundle-server.mjs');
  await promisify(execFile)(process.execPath, [script, '--from', join(out, 'src'), '--to', join(out, 'server')]).catch(
    (error: { stderr?: string }) => {
      throw new Error(`Bundling the compiled server failed:\n${error.stderr ?? String(error)}`);
    },
  );
  return join(out, 'server', 'main.js');
}

import { build } from 'esbuild';
import { runInNewContext } from 'node:vm';
import { nameOnlyWhenDifferent } from '../../scripts/bundle-server.mjs';

/**
 * The bundle's __name helper (scripts/bundle-server.mjs), rewritten so that a
 * function already bearing its name is not redefined. Checked on what esbuild
 * itself writes with the options of the bundle that matter here (keepNames,
 * whitespace minified, node20), run in a context that records each
 * redefinition of a `name`.
 */
const FILES: Record<string, string> = {
  'entry.js': `
    import { helper as other } from './other.js';
    export function helper() { return 'entry'; }
    export function perCall(i) {
      function handle() { return i; }
      const next = () => i;
      const context = { getRequest: () => i };
      return [handle.name, next.name, context.getRequest.name];
    }
    export class Member {}
    export const names = () => [helper.name, other.name, Member.name];
  `,
  'other.js': `export function helper() { return 'other'; }`,
};

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: FILES['entry.js'], resolveDir: '/virtual', sourcefile: 'entry.js' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'bundled',
    platform: 'node',
    target: 'node20',
    keepNames: true,
    minifyWhitespace: true,
    plugins: [
      {
        name: 'virtual-files',
        setup(builder) {
          builder.onResolve({ filter: /^\.\/other\.js$/ }, () => ({ path: '/virtual/other.js', namespace: 'virtual' }));
          builder.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents: FILES['other.js'], loader: 'js' }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

interface Bundled {
  perCall(i: number): string[];
  names(): string[];
}

function run(code: string): { bundled: Bundled; redefined: string[] } {
  const context: { redefined: string[]; bundled?: Bundled } = { redefined: [] };
  runInNewContext(
    `const define = Object.defineProperty;
     Object.defineProperty = (target, key, descriptor) => {
       if (key === 'name') redefined.push(descriptor.value);
       return define(target, key, descriptor);
     };
     ${code}
     globalThis.bundled = bundled;`,
    context,
  );
  return { bundled: context.bundled as Bundled, redefined: context.redefined };
}

describe('the bundle name helper', () => {
  let original: string;
  let rewritten: string;

  beforeAll(async () => {
    original = await bundle();
    rewritten = nameOnlyWhenDifferent(original);
  });

  it('keeps every name esbuild keeps', () => {
    const { bundled } = run(rewritten);
    expect(bundled.perCall(1)).toEqual(['handle', 'next', 'getRequest']);
    expect(bundled.names()).toEqual(['helper', 'helper', 'Member']);
  });

  it('no longer redefines a function declaration on every call, which already bears its name', () => {
    const before = run(original);
    const after = run(rewritten);
    const [beforeSetUp, afterSetUp] = [before.redefined.length, after.redefined.length];
    before.bundled.perCall(1);
    after.bundled.perCall(1);
    after.bundled.perCall(2);
    expect(before.redefined.slice(beforeSetUp)).toEqual(['handle', 'next', 'getRequest']);
    // Arrows esbuild wraps in __name(() => …, 'next') are anonymous until named, so they still are.
    expect(after.redefined.slice(afterSetUp)).toEqual(['next', 'getRequest', 'next', 'getRequest']);
  });

  it('still names a function renamed in the bundle to avoid a clash, and only that one of the two', () => {
    // Both modules declare `helper`; esbuild renames one (helper2) and names it back.
    expect(run(original).redefined.filter((name) => name === 'helper')).toHaveLength(2);
    expect(run(rewritten).redefined.filter((name) => name === 'helper')).toHaveLength(1);
  });

  it('leaves every line its length, so the source map still holds', () => {
    expect(rewritten).not.toEqual(original);
    expect(rewritten.split('\n').map((line) => line.length)).toEqual(original.split('\n').map((line) => line.length));
  });

  it('refuses a bundle whose helper it does not recognise', () => {
    expect(() => nameOnlyWhenDifferent('var __name=(t,v)=>t;__name(f,"f");', 'main.js')).toThrow(
      /main\.js: esbuild's __name helper is not the one scripts\/bundle-server\.mjs rewrites/,
    );
  });

  it('passes a file without the helper through untouched', () => {
    expect(nameOnlyWhenDifferent('const a = 1;')).toBe('const a = 1;');
  });
});

import { readFileSync } from 'node:fs';
import { parseOptions } from '../../bench/options.js';
import { oidcProviderRowId } from '../../bench/results.js';
import { oidcProviderLoadRow } from '../../bench/scenarios/reference-rows.js';
import { benchNodeArgs, PRODUCTION_NODE_OPTIONS } from '../../bench/servers/orgsync-server.js';
import { describeSettings } from '../../bench/settings.js';
import { loadSlice } from './bench-factories.js';

describe('describeSettings', () => {
  it('states how the token rows and oidc-provider were measured together when both are run', () => {
    const settings = describeSettings(parseOptions(['--only', 'reference,token', '--duration', '8', '--rounds', '4', '--warmup', '2'], {}));
    expect(settings[0]).toContain('2 s warm-up then 8 s measured per row (the token and oidc-provider rows in slices, below)');
    const method = settings.find((line) => line.startsWith('Token rows against oidc-provider, in alternating slices'));
    expect(method).toContain('each is warmed up once (2 s, unmeasured), then 4 rounds each measure both for 2 s (8 s / 4 rounds)');
    expect(method).toContain('the order alternating (orgsync first, then oidc-provider first, and so on)');
    expect(method).toContain('p50 and p99 those of all its requests');
  });

  it("lists the settings BENCH_ORGSYNC_ENV changed right after production's, and nothing of the kind without it", () => {
    const changed = describeSettings(parseOptions([], { BENCH_ORGSYNC_ENV: 'LOG_LEVEL=warn METRICS_ACCESS=off' }));
    expect(changed[2]).toBe(
      "Changed for this run (BENCH_ORGSYNC_ENV), over the settings above: LOG_LEVEL=warn, METRICS_ACCESS=off. These figures measure that configuration, not production's defaults.",
    );
    expect(describeSettings(parseOptions([], {})).join('\n')).not.toContain('BENCH_ORGSYNC_ENV');
  });

  it('says nothing of slices when oidc-provider is measured on its own', () => {
    for (const only of ['reference', 'token,read']) {
      const settings = describeSettings(parseOptions(['--only', only], {}));
      expect(settings.join('\n')).not.toContain('slices');
    }
  });
});

describe('the oidc-provider row', () => {
  it('keeps its id on SQLite and names the PostgreSQL one after the token row it ran alongside', () => {
    const slices = [loadSlice(1, 1_000, 1), loadSlice(1, 1_200, 1)];
    expect(oidcProviderLoadRow(slices[0]!)).toMatchObject({ id: 'reference/oidc-provider', server: 'oidc-provider', database: null });
    expect(oidcProviderLoadRow(slices[0]!)).not.toHaveProperty('slices');
    expect(oidcProviderLoadRow(slices[1]!, { database: 'SQLite', slices })).toMatchObject({ id: 'reference/oidc-provider', slices });
    expect(oidcProviderLoadRow(slices[1]!, { database: 'PostgreSQL', slices })).toMatchObject({
      id: 'reference/oidc-provider/PostgreSQL',
      title: 'POST /token (client_secret_basic, ES256 JWT), alongside the PostgreSQL token row',
      database: null,
    });
    expect(oidcProviderRowId('PostgreSQL')).toBe('reference/oidc-provider/PostgreSQL');
  });
});

describe('the Node options orgsync is measured with', () => {
  const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> })
    .scripts;

  /** The options between `node` and the server file in an npm script. */
  function nodeOptionsOf(script: string): string[] {
    const words = script.split(' ');
    const server = words.indexOf('dist/server/main.js');
    expect(server).toBeGreaterThan(0);
    const node = words.lastIndexOf('node', server);
    expect(node).toBeGreaterThanOrEqual(0);
    return words.slice(node + 1, server);
  }

  it('are those npm run start:prod and npm start pass, so the harness measures what production runs', () => {
    expect(nodeOptionsOf(scripts['start:prod']!)).toEqual([...PRODUCTION_NODE_OPTIONS]);
    expect(nodeOptionsOf(scripts.start!)).toEqual([...PRODUCTION_NODE_OPTIONS]);
    expect(benchNodeArgs({})).toEqual([...PRODUCTION_NODE_OPTIONS]);
    expect(describeSettings(parseOptions([], {}))[1]).toContain(
      `started as npm run start:prod starts it (node ${PRODUCTION_NODE_OPTIONS.join(' ')})`,
    );
  });

  it('come before those BENCH_ORGSYNC_NODE_ARGS adds', () => {
    expect(benchNodeArgs({ BENCH_ORGSYNC_NODE_ARGS: ' --cpu-prof  --cpu-prof-dir=/tmp/prof ' })).toEqual([
      ...PRODUCTION_NODE_OPTIONS,
      '--cpu-prof',
      '--cpu-prof-dir=/tmp/prof',
    ]);
  });
});

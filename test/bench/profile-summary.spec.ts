import { type CpuProfile, keyOf, summarizeProfile } from '../../bench/profile-summary.js';

function node(id: number, functionName: string, url: string, hitCount: number, lineNumber = 0): CpuProfile['nodes'][number] {
  return { id, callFrame: { functionName, url, lineNumber }, hitCount };
}

// 100 ms of samples: 50 in orgsync's token service, 30 in jose, 20 idle.
const PROFILE: CpuProfile = {
  startTime: 0,
  endTime: 100_000,
  nodes: [
    node(1, '(root)', '', 0),
    node(2, 'issue', 'file:///work/main/dist/src/oauth/tokens/access-token.issuer.js', 30, 41),
    node(3, 'sign', 'file:///work/main/dist/src/oauth/tokens/access-token.issuer.js', 20, 60),
    node(4, 'compactSign', 'file:///work/main/node_modules/jose/dist/node/esm/jws/compact/sign.js', 30),
    node(5, '(idle)', '', 20),
  ],
};

describe('summarizeProfile', () => {
  it('sums self time per function, largest first, as a share of the profile', () => {
    expect(summarizeProfile(PROFILE, 'function')).toEqual([
      { key: 'issue src/oauth/tokens/access-token.issuer.js:42', ms: 30, percent: 30 },
      { key: 'compactSign node_modules/jose/dist/node/esm/jws/compact/sign.js:1', ms: 30, percent: 30 },
      { key: 'sign src/oauth/tokens/access-token.issuer.js:61', ms: 20, percent: 20 },
      { key: '(idle)', ms: 20, percent: 20 },
    ]);
  });

  it('sums per file and per package, orgsync by feature folder', () => {
    expect(summarizeProfile(PROFILE, 'file')[0]).toEqual({ key: 'src/oauth/tokens/access-token.issuer.js', ms: 50, percent: 50 });
    expect(summarizeProfile(PROFILE, 'package').map((row) => row.key)).toEqual(['src/oauth', 'jose', '(idle)']);
  });

  it('names built-in and scoped-package frames by where they live', () => {
    expect(keyOf(node(1, 'writev', 'node:internal/fs/streams', 1), 'package')).toBe('node (built-in)');
    expect(keyOf(node(1, 'handle', 'file:///x/node_modules/@nestjs/core/router/router-proxy.js', 1), 'package')).toBe('@nestjs/core');
    expect(keyOf(node(1, '', 'file:///tmp/build/out/bench/main.js', 1, 9), 'function')).toBe('(anonymous) bench/main.js:10');
  });
});

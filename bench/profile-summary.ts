/**
 * Sums the self time of a V8 CPU profile (`node --cpu-prof`, or
 * BENCH_ORGSYNC_NODE_ARGS="--cpu-prof --cpu-prof-dir=<dir>" on the harness)
 * per function, file or package, so work is chosen from evidence:
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [--by function|file|package] [--top 30]
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
}

export type Grouping = 'function' | 'file' | 'package';

export interface SelfTime {
  readonly key: string;
  readonly ms: number;
  readonly percent: number;
}

/** Self time per key, largest first: each node's share of the samples times the profile's duration. */
export function summarizeProfile(profile: CpuProfile, by: Grouping): SelfTime[] {
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = new Map<string, number>();
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const key = keyOf(node, by);
    hits.set(key, (hits.get(key) ?? 0) + node.hitCount);
  }
  return [...hits]
    .map(([key, count]) => ({
      key,
      ms: totalHits > 0 ? (count / totalHits) * totalMs : 0,
      percent: totalHits > 0 ? (count / totalHits) * 100 : 0,
    }))
    .sort((a, b) => b.ms - a.ms);
}

/** Where a frame's code lives: a path relative to the project, node_modules/<package>, node:internal, or V8's own "(program)". */
export function keyOf(node: CpuProfileNode, by: Grouping): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (url === '') return functionName || '(anonymous)';
  const file = shortPath(url);
  if (by === 'package') return packageOf(file);
  if (by === 'file') return file;
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  // Compiled orgsync, wherever it was built (dist/, a test's build cache): from src/, bench/ or examples/ on.
  const project = path.search(/\/(src|bench|examples)\//);
  return project >= 0 ? path.slice(project + 1) : path;
}

function packageOf(file: string): string {
  const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (match) return match[1]!;
  if (file.startsWith('node:')) return 'node (built-in)';
  // orgsync's own code, by feature folder (src/oauth, src/auth, ...).
  return file.split('/').slice(0, 2).join('/');
}

async function main(): Promise<void> {
  const [file, ...args] = process.argv.slice(2);
  if (!file) throw new Error('Usage: node dist/bench/profile-summary.js <file.cpuprofile> [--by function|file|package] [--top N]');
  const by = (args[args.indexOf('--by') + 1] ?? 'function') as Grouping;
  const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 30;
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const rows = summarizeProfile(profile, args.includes('--by') ? by : 'function').slice(0, top);
  for (const row of rows) process.stdout.write(`${row.ms.toFixed(1).padStart(9)} ms ${row.percent.toFixed(1).padStart(5)} %  ${row.key}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

/**
 * The benchmarks' SCIM upstream, in a process of its own so that serving sync
 * pages never competes with the harness (autocannon, the sync driver) for its
 * event loop, and so skews no latency. Seeds SOAK_USERS users and SOAK_GROUPS
 * groups (default: one per hundred users) of up to 50 members, two hours ago.
 * UPSTREAM_WATERMARK_ANCHOR=1 makes the newest user an hour old (so an
 * incremental run's watermark lands well before any later change). Every
 * SOAK_CHANGE_EVERY_MS (default a minute; 0: never) it changes 1 % of the
 * users somewhere; the line `change-first-percent` on stdin changes the first
 * 1 % and answers `{"changed":N}`. Prints one JSON line with its URLs and
 * client credentials once it listens. SIGTERM stops it.
 */
import { createInterface } from 'node:readline';
import { startScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';

const users = Number(process.env.SOAK_USERS ?? 10_000);
const groups = Number(process.env.SOAK_GROUPS ?? Math.max(1, Math.round(users / 100)));
const changeEveryMs = Number(process.env.SOAK_CHANGE_EVERY_MS ?? 60_000);
const anchor = process.env.UPSTREAM_WATERMARK_ANCHOR === '1';

const upstream = await startScimUpstream({ maxResults: 1000 });
const seeded = anchor ? users - 1 : users;
upstream.directory.seed({ users: seeded, groups, membersPerGroup: Math.min(50, seeded) }, { at: new Date(Date.now() - 7_200_000) });
if (anchor) upstream.directory.addUser({ userName: 'watermark-anchor' }, { at: new Date(Date.now() - 3_600_000) });

/** Changes the title of 1 % of the users, from `from` on (a random place when not given). */
const changeOnePercent = (from?: number): number => {
  const all = upstream.directory.listUsers();
  const count = Math.max(1, Math.round(all.length / 100));
  const start = from ?? Math.floor(Math.random() * Math.max(1, all.length - count));
  const chosen = all.slice(start, start + count);
  for (const user of chosen) upstream.directory.updateUser(user.id, { title: `Changed ${Date.now()}` });
  return chosen.length;
};
const changer = changeEveryMs > 0 ? setInterval(changeOnePercent, changeEveryMs) : undefined;

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'change-first-percent') process.stdout.write(`${JSON.stringify({ changed: changeOnePercent(0) })}\n`);
});

process.stdout.write(
  `${JSON.stringify({ baseUrl: upstream.baseUrl, tokenUrl: upstream.tokenUrl, clientId: upstream.clientId, clientSecret: upstream.clientSecret })}\n`,
);
process.once('SIGTERM', () => {
  clearInterval(changer);
  void upstream.close().then(() => process.exit(0));
});

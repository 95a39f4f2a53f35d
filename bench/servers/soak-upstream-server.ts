/**
 * The soak's SCIM upstream, in a process of its own so that serving sync
 * pages never slows the load generator (autocannon, in the harness process)
 * and so skews no latency. Seeds SOAK_USERS users (and a group per hundred),
 * changes 1 % of them every minute, and prints one JSON line with its URLs
 * and client credentials once it listens. SIGTERM stops it.
 */
import { startScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';

const users = Number(process.env.SOAK_USERS ?? 10_000);
const upstream = await startScimUpstream({ maxResults: 1000 });
upstream.directory.seed(
  { users, groups: Math.max(1, Math.round(users / 100)), membersPerGroup: Math.min(50, users) },
  { at: new Date(Date.now() - 7_200_000) },
);

const changeOnePercent = (): void => {
  const all = upstream.directory.listUsers();
  const count = Math.max(1, Math.round(all.length / 100));
  const from = Math.floor(Math.random() * Math.max(1, all.length - count));
  for (const user of all.slice(from, from + count)) upstream.directory.updateUser(user.id, { title: `Changed ${Date.now()}` });
};
const changer = setInterval(changeOnePercent, 60_000);

process.stdout.write(
  `${JSON.stringify({ baseUrl: upstream.baseUrl, tokenUrl: upstream.tokenUrl, clientId: upstream.clientId, clientSecret: upstream.clientSecret })}\n`,
);
process.once('SIGTERM', () => {
  clearInterval(changer);
  void upstream.close().then(() => process.exit(0));
});

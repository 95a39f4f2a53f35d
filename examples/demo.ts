import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, DemoStepError } from './demo/http.js';
import { type OrgsyncProcess, startOrgsync } from './demo/orgsync-process.js';
import { type ScimUpstream, startScimUpstream } from './scim-upstream/scim-upstream.js';

/**
 * `npm run demo`: the example SCIM upstream and orgsync side by side, and one
 * sync between them, driven over orgsync's HTTP API the way an operator and a
 * partner would. Each step is one call; when a route changes, fix that step.
 */

interface Member {
  user_name: string;
  email: string | null;
  display_name: string | null;
  department: string | null;
  source: string;
}

interface SyncRun {
  id: string;
  status: string;
  mode?: string | null;
  pages?: number;
  error?: string | null;
  stats?: Record<string, Record<string, number>>;
}

const say = (line = ''): void => void process.stdout.write(`${line}\n`);

async function demo(upstream: ScimUpstream, orgsync: OrgsyncProcess): Promise<void> {
  const admin = { clientId: orgsync.adminClientId, clientSecret: orgsync.adminClientSecret };

  say('1. The platform admin gets a token (scope admin).');
  const adminToken = (
    await call<{ access_token: string }>('POST', `${orgsync.url}/oauth/token`, { basic: admin, form: { grant_type: 'client_credentials' } })
  ).body.access_token;

  say('2. It creates an organization ...');
  const organization = (
    await call<{ id: string }>('POST', `${orgsync.url}/admin/organizations`, { bearer: adminToken, json: { name: 'Acme Corp (demo)' } })
  ).body;

  say('3. ... a partner client that may read members, groups and sync state ...');
  const partner = (
    await call<{ client_id: string; client_secret: string }>('POST', `${orgsync.url}/admin/organizations/${organization.id}/clients`, {
      bearer: adminToken,
      json: { client_name: 'Demo partner', scope: 'members:read groups:read sync:read' },
    })
  ).body;

  say('4. ... and a sync connection to the SCIM upstream.');
  const connection = (
    await call<{ id: string }>('POST', `${orgsync.url}/admin/organizations/${organization.id}/sync-connections`, {
      bearer: adminToken,
      json: {
        name: 'Example SCIM upstream',
        kind: 'scim',
        base_url: upstream.baseUrl,
        token_url: upstream.tokenUrl,
        client_id: upstream.clientId,
        client_secret: upstream.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        interval_seconds: 3600,
      },
    })
  ).body;

  say('5. It triggers a run and waits for it to finish.');
  const queued = (await call<SyncRun>('POST', `${orgsync.url}/admin/sync-connections/${connection.id}/runs`, { bearer: adminToken })).body;
  const run = await waitForRun(orgsync, adminToken, queued.id);
  if (run.status !== 'succeeded') throw new DemoStepError(`The sync run ended ${run.status}: ${run.error ?? 'no error given'}`);

  say('6. The partner gets a token and lists members, now synced from the upstream.');
  const partnerToken = (
    await call<{ access_token: string }>('POST', `${orgsync.url}/oauth/token`, {
      basic: { clientId: partner.client_id, clientSecret: partner.client_secret },
      form: { grant_type: 'client_credentials', scope: 'members:read' },
    })
  ).body.access_token;
  const members = (await call<{ data: Member[] }>('GET', `${orgsync.url}/api/v1/members?limit=5`, { bearer: partnerToken })).body.data;

  printSummary(upstream, run, members);
}

async function waitForRun(orgsync: OrgsyncProcess, adminToken: string, runId: string): Promise<SyncRun> {
  const deadline = Date.now() + 120_000;
  let last = '';
  while (Date.now() < deadline) {
    const run = (await call<SyncRun>('GET', `${orgsync.url}/admin/sync-runs/${runId}`, { bearer: adminToken })).body;
    if (run.status !== last) say(`   run ${run.id}: ${(last = run.status)}`);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new DemoStepError(`The sync run ${runId} did not finish within 120 seconds.`);
}

function printSummary(upstream: ScimUpstream, run: SyncRun, members: Member[]): void {
  const { stats } = upstream;
  say();
  say('Summary');
  say(`  upstream     ${upstream.directory.userCount} users, ${upstream.directory.groupCount} groups at ${upstream.baseUrl}`);
  say(`  sync run     ${run.status}${run.mode ? `, ${run.mode}` : ''}${run.pages === undefined ? '' : `, ${run.pages} pages`}`);
  for (const [stream, counts] of Object.entries(run.stats ?? {})) {
    say(
      `    ${stream.padEnd(10)} ${Object.entries(counts)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ')}`,
    );
  }
  say(
    `  the worker   ${stats.tokenRequests} token request(s), ${stats.bearerTokens.length} distinct token(s), ${stats.totalApiRequests} SCIM requests`,
  );
  say(
    `               ${Object.entries(stats.apiRequests)
      .map(([path, count]) => `${path} ×${count}`)
      .join(', ')}`,
  );
  say('  members (GET /api/v1/members?limit=5, as the partner sees them)');
  for (const member of members) {
    say(
      `    ${member.user_name.padEnd(32)} ${(member.display_name ?? '').padEnd(24)} ${(member.department ?? '').padEnd(12)} source ${member.source}`,
    );
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'orgsync-demo-'));
  let upstream: ScimUpstream | undefined;
  let orgsync: OrgsyncProcess | undefined;
  try {
    // Pages of at most 100 and RFC 9865 cursors, so the run shows paging.
    upstream = await startScimUpstream({ users: 250, groups: 10, membersPerGroup: 25, maxResults: 100, cursorPaging: true });
    say(`Example SCIM upstream: ${upstream.baseUrl} (250 users, 10 groups), token endpoint ${upstream.tokenUrl}`);
    orgsync = await startOrgsync(dataDir);
    say(`orgsync: ${orgsync.url}, data in ${dataDir}`);
    say();
    await demo(upstream, orgsync);
    say();
    say('Done. Everything is stopped and the temporary data removed.');
  } catch (error) {
    process.exitCode = 1;
    process.stderr.write(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    if (orgsync) process.stderr.write(`\norgsync's output:\n${orgsync.output()}\n`);
  } finally {
    await orgsync?.stop();
    await upstream?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

void main();

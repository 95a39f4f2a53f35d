import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { call } from '../examples/demo/http.js';
import type { OrgsyncProcess } from '../examples/demo/orgsync-process.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What the load rows need from a provisioned orgsync. */
export interface BenchFixture {
  /** The organization of `smallMembers` members, created through the API. */
  readonly small: { readonly organizationId: string; readonly memberIds: readonly string[]; readonly client: ClientCredentials };
  /** The organization of `bigMembers` members, bulk-inserted. */
  readonly big: { readonly organizationId: string; readonly client: ClientCredentials; readonly seedSeconds: number };
}

export interface FixtureSizes {
  readonly smallMembers: number;
  readonly bigMembers: number;
}

const SEED_MEMBERS = fileURLToPath(new URL('./seed-members.js', import.meta.url));

/**
 * Two organizations, each with a client_secret_basic partner client (token
 * lifetime an hour, longer than any row): a small one whose members are
 * created through the API, and a big one bulk-inserted by seed-members.js.
 */
export async function provision(orgsync: OrgsyncProcess, databaseUrl: string, sizes: FixtureSizes): Promise<BenchFixture> {
  const admin = await accessToken(orgsync.url, { clientId: orgsync.adminClientId, clientSecret: orgsync.adminClientSecret });
  const small = await organizationWithClient(orgsync.url, admin, 'Bench small', 'members:read members:write');
  const big = await organizationWithClient(orgsync.url, admin, 'Bench big', 'members:read');
  const token = await accessToken(orgsync.url, small.client);
  const memberIds = await createMembers(orgsync.url, token, sizes.smallMembers);
  const seedSeconds = await bulkInsertMembers(databaseUrl, big.organizationId, sizes.bigMembers);
  return { small: { ...small, memberIds }, big: { ...big, seedSeconds } };
}

/** RFC 6749 section 4.4 with client_secret_basic. */
export async function accessToken(url: string, client: ClientCredentials): Promise<string> {
  const response = await call<{ access_token: string }>('POST', `${url}/oauth/token`, {
    basic: client,
    form: { grant_type: 'client_credentials' },
  });
  return response.body.access_token;
}

async function organizationWithClient(
  url: string,
  admin: string,
  name: string,
  scope: string,
): Promise<{ organizationId: string; client: ClientCredentials }> {
  const organization = (await call<{ id: string }>('POST', `${url}/admin/organizations`, { bearer: admin, json: { name } })).body;
  const client = (
    await call<{ client_id: string; client_secret: string }>('POST', `${url}/admin/organizations/${organization.id}/clients`, {
      bearer: admin,
      json: { client_name: `${name} partner`, scope, token_endpoint_auth_method: 'client_secret_basic', access_token_ttl: 3600 },
    })
  ).body;
  return { organizationId: organization.id, client: { clientId: client.client_id, clientSecret: client.client_secret } };
}

/** Through POST /api/v1/members, ten at a time. */
async function createMembers(url: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < count; from += 10) {
    const batch = Array.from({ length: Math.min(10, count - from) }, (_, i) => from + i);
    const created = await Promise.all(
      batch.map(
        async (n) =>
          (
            await call<{ id: string }>('POST', `${url}/api/v1/members`, {
              bearer: token,
              json: { user_name: `small-${n}`, email: `small-${n}@bench.example`, display_name: `Small ${n}`, department: 'Benchmarks' },
            })
          ).body.id,
      ),
    );
    ids.push(...created);
  }
  return ids;
}

async function bulkInsertMembers(databaseUrl: string, organizationId: string, count: number): Promise<number> {
  if (count === 0) return 0;
  const { stdout } = await promisify(execFile)(process.execPath, [SEED_MEMBERS], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, SEED_ORGANIZATION_ID: organizationId, SEED_COUNT: String(count) },
  });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number }).seconds;
}

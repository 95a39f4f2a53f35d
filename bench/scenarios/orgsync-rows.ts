import type { OrgsyncProcess } from '../../examples/demo/orgsync-process.js';
import { type LoadMeasurement, type LoadOptions, type LoadRequest, measureLoad } from '../load/autocannon-run.js';
import type { LoadRow } from '../results.js';
import { accessToken, type BenchFixture } from '../seed.js';
import { basicAuthorization, decodeJwt, FORM_CONTENT_TYPE, TOKEN_REQUEST_BODY } from './jwt-check.js';

/** A running, provisioned orgsync on one database. */
export interface OrgsyncSession {
  readonly orgsync: OrgsyncProcess;
  readonly fixture: BenchFixture;
  /** "SQLite" or "PostgreSQL". */
  readonly database: string;
}

/** POST /oauth/token, client_secret_basic, grant_type=client_credentials: exactly what a partner sends. */
export function tokenRequest(session: OrgsyncSession): LoadRequest {
  const { clientId, clientSecret } = session.fixture.small.client;
  return {
    url: `${session.orgsync.url}/oauth/token`,
    method: 'POST',
    headers: { authorization: basicAuthorization(clientId, clientSecret), 'content-type': FORM_CONTENT_TYPE },
    body: TOKEN_REQUEST_BODY,
  };
}

/**
 * GET /api/v1/members/:id with one bearer token, obtained up front, for every
 * request; the requests go through the small organization's members in turn,
 * so the requests in flight at once read different members.
 */
export async function readRequest(session: OrgsyncSession): Promise<LoadRequest> {
  const token = await accessToken(session.orgsync.url, session.fixture.small.client);
  const paths = session.fixture.small.memberIds.map((id) => `/api/v1/members/${id}`);
  return { url: `${session.orgsync.url}${paths[0]!}`, paths, headers: { authorization: `Bearer ${token}` } };
}

export const TOKEN_ROW_TITLE = 'POST /oauth/token (client_secret_basic)';

/** The token request, once checked to answer 200 with a Bearer at+jwt. */
export async function checkedTokenRequest(session: OrgsyncSession): Promise<LoadRequest> {
  const request = tokenRequest(session);
  await expectOk(request, (body) => {
    const jwt = decodeJwt(String(body.access_token));
    return jwt?.header.typ === 'at+jwt' && body.token_type === 'Bearer';
  });
  return request;
}

export async function tokenRow(session: OrgsyncSession, load: LoadOptions): Promise<LoadRow> {
  return row(session, 'token', TOKEN_ROW_TITLE, await checkedTokenRequest(session), load);
}

export async function readRow(session: OrgsyncSession, load: LoadOptions): Promise<LoadRow> {
  const request = await readRequest(session);
  await expectOk(request, (body) => body.id === session.fixture.small.memberIds[0]);
  return row(session, 'read', 'GET /api/v1/members/:id (bearer)', request, load);
}

/** GET /api/v1/members?limit=100, the first page, on the small and on the big organization. */
export async function listRows(session: OrgsyncSession, load: LoadOptions, sizes: { small: number; big: number }): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const [scenario, organization, members] of [
    ['list-small', session.fixture.small, sizes.small],
    ['list-big', session.fixture.big, sizes.big],
  ] as const) {
    const token = await accessToken(session.orgsync.url, organization.client);
    const request = { url: `${session.orgsync.url}/api/v1/members?limit=100`, headers: { authorization: `Bearer ${token}` } };
    await expectOk(request, (body) => Array.isArray(body.data) && body.data.length === Math.min(100, members));
    rows.push(await row(session, scenario, `GET /api/v1/members?limit=100 (${members.toLocaleString('en')} members)`, request, load));
  }
  return rows;
}

async function row(
  session: OrgsyncSession,
  scenario: LoadRow['scenario'],
  title: string,
  request: LoadRequest,
  load: LoadOptions,
): Promise<LoadRow> {
  return orgsyncLoadRow(session, scenario, title, await measureLoad(request, session.orgsync.pid!, load));
}

export function orgsyncLoadRow(
  session: OrgsyncSession,
  scenario: LoadRow['scenario'],
  title: string,
  measurement: LoadMeasurement,
): LoadRow {
  return { id: `${scenario}/${session.database}`, scenario, title, server: 'orgsync', database: session.database, measurement };
}

/** One request before the load: it must answer 200 with the body the row is about, or the row means nothing. */
export async function expectOk(request: LoadRequest, bodyIsRight: (body: Record<string, unknown>) => boolean): Promise<void> {
  const response = await fetch(request.url, { method: request.method ?? 'GET', headers: request.headers, body: request.body });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  if (response.status !== 200 || !bodyIsRight(body)) {
    throw new Error(
      `${request.method ?? 'GET'} ${new URL(request.url).pathname} answered ${response.status}, not the expected 200: ${text.slice(0, 300)}`,
    );
  }
}

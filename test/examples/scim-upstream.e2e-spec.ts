import { ScimDirectory } from '../../examples/scim-upstream/directory/scim-directory.js';
import { type ScimUpstream, startScimUpstream } from '../../examples/scim-upstream/scim-upstream.js';
import {
  idsOf,
  type ListBody,
  listPage,
  obtainUpstreamToken,
  requestToken,
  type ScimErrorBody,
  scimGet,
  walkByCursor,
  walkByIndex,
} from './scim-test-client.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('example SCIM upstream: token endpoint (RFC 6749 section 4.4)', () => {
  const clientId = 'sync client:1';
  const clientSecret = 'pä$$ w+rd/:%&=?';
  let upstream: ScimUpstream;

  beforeAll(async () => {
    upstream = await startScimUpstream({ clientId, clientSecret, allowedScopes: ['scim:read', 'scim:write'] });
  });
  afterAll(() => upstream.close());

  it('issues an opaque bearer token to client_secret_basic credentials form-encoded per Appendix B', async () => {
    const response = await requestToken(upstream, { clientId, clientSecret });

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'scim:read scim:write',
    });
    expect(upstream.stats.tokenRequestLog.at(-1)).toMatchObject({ authMethod: 'client_secret_basic', clientId, outcome: 'issued' });
  });

  it('accepts client_secret_post and grants exactly the scope asked for', async () => {
    const response = await requestToken(upstream, { clientId, clientSecret, post: true }, { scope: 'scim:read' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', scope: 'scim:read' });
    expect(upstream.stats.tokenRequestLog.at(-1)).toMatchObject({ authMethod: 'client_secret_post', scope: 'scim:read' });
  });

  it('answers a wrong secret with 401 invalid_client and a Basic challenge', async () => {
    const response = await requestToken(upstream, { clientId, clientSecret: `${clientSecret}x` });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="scim-upstream"');
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers a wrong secret in the body with 401 invalid_client too', async () => {
    const response = await requestToken(upstream, { clientId, clientSecret: 'nope', post: true });

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a scope outside the allowed set with 400 invalid_scope', async () => {
    const response = await requestToken(upstream, { clientId, clientSecret }, { scope: 'scim:read scim:admin' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses other grant types and a JSON body', async () => {
    const grant = await requestToken(upstream, { clientId, clientSecret }, { grant_type: 'password' });
    const json = await fetch(upstream.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    });

    expect([grant.status, await grant.json()]).toEqual([400, expect.objectContaining({ error: 'unsupported_grant_type' })]);
    expect([json.status, await json.json()]).toEqual([400, expect.objectContaining({ error: 'invalid_request' })]);
  });

  it('requires the configured RFC 8707 resource when told to', async () => {
    const strict = await startScimUpstream({ requiredResource: 'https://scim.example.com/' });
    try {
      const without = await requestToken(strict, strict);
      const withIt = await requestToken(strict, strict, { resource: 'https://scim.example.com/' });

      expect([without.status, await without.json()]).toEqual([400, expect.objectContaining({ error: 'invalid_target' })]);
      expect(withIt.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('example SCIM upstream: bearer protection (RFC 6750)', () => {
  let upstream: ScimUpstream;

  beforeAll(async () => {
    upstream = await startScimUpstream({ users: 3, tokenTtlSeconds: 1 });
  });
  afterAll(() => upstream.close());

  it('answers a request without a token with 401, a bare Bearer challenge and a SCIM error', async () => {
    const response = await scimGet(upstream, '/Users', undefined);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="scim-upstream"');
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(await response.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  });

  it('answers an unknown token with 401 invalid_token', async () => {
    const response = await scimGet(upstream, '/Users', 'not-a-token');

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="scim-upstream", error="invalid_token"/);
  });

  it('answers an expired token with 401 invalid_token', async () => {
    const token = await obtainUpstreamToken(upstream);
    expect((await scimGet(upstream, '/Users', token)).status).toBe(200);

    await sleep(1_100);
    const response = await scimGet(upstream, '/Users', token);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });
});

describe('example SCIM upstream: resources and index paging (RFC 7644 section 3.4.2.4)', () => {
  let upstream: ScimUpstream;
  let token: string;

  beforeAll(async () => {
    upstream = await startScimUpstream({ users: 250, groups: 5, membersPerGroup: 20, maxResults: 120 });
    token = await obtainUpstreamToken(upstream);
  });
  afterAll(() => upstream.close());

  it('advertises its features in /ServiceProviderConfig (RFC 7643 section 5), without RFC 9865 pagination', async () => {
    const response = await scimGet(upstream, '/ServiceProviderConfig', token);
    const body = (await response.json()) as Record<string, unknown>;

    expect(body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      filter: { supported: true, maxResults: 120 },
      patch: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
    });
    expect(body).not.toHaveProperty('pagination');
  });

  it('walks every user exactly once, in id order, with correct totalResults, startIndex and itemsPerPage', async () => {
    const pages = await walkByIndex(upstream, '/Users', token, 100);

    expect(pages.map((page) => [page.totalResults, page.startIndex, page.itemsPerPage])).toEqual([
      [250, 1, 100],
      [250, 101, 100],
      [250, 201, 50],
    ]);
    expect(pages[0]?.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    const ids = idsOf(pages);
    expect(ids).toEqual(upstream.directory.listUsers().map((user) => user.id));
    expect(ids).toEqual([...ids].sort());
  });

  it('caps count at maxResults, reads startIndex below 1 as 1, and answers past the end with an empty page', async () => {
    const capped = await listPage(upstream, '/Users', token, { startIndex: 0, count: 500 });
    const past = await listPage(upstream, '/Users', token, { startIndex: 400, count: 10 });
    const none = await listPage(upstream, '/Users', token, { count: 0 });

    expect([capped.startIndex, capped.itemsPerPage]).toEqual([1, 120]);
    expect([past.totalResults, past.itemsPerPage, past.Resources]).toEqual([250, 0, []]);
    expect([none.totalResults, none.Resources]).toEqual([250, []]);
  });

  it('serves users as RFC 7643 core Users with the enterprise extension', async () => {
    const [first] = upstream.directory.listUsers();
    const response = await scimGet(upstream, `/Users/${first?.id}`, token);
    const user = (await response.json()) as Record<string, unknown>;

    expect(user).toEqual(first);
    expect(user).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      externalId: expect.stringMatching(/^emp-\d{6}$/),
      userName: expect.any(String),
      name: { givenName: expect.any(String), familyName: expect.any(String), formatted: expect.any(String) },
      displayName: expect.any(String),
      emails: [{ value: expect.stringMatching(/@example\.com$/), type: 'work', primary: true }],
      active: expect.any(Boolean),
      title: expect.any(String),
      [ENTERPRISE]: { department: expect.any(String) },
      meta: {
        resourceType: 'User',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: `${upstream.baseUrl}/Users/${first?.id}`,
      },
    });
  });

  it('serves groups with members that reference users', async () => {
    const page = (await listPage(upstream, '/Groups', token, {})) as ListBody<{ id: string; members: Record<string, string>[] }>;
    const [group] = page.Resources;
    const member = group?.members[0];
    const user = upstream.directory.getUser(member?.value ?? '');

    expect([page.totalResults, group?.members.length]).toEqual([5, 20]);
    expect(member).toEqual({ value: user?.id, $ref: `${upstream.baseUrl}/Users/${user?.id}`, display: user?.displayName, type: 'User' });
  });

  it('answers an unknown resource with a SCIM 404', async () => {
    const response = await scimGet(upstream, '/Users/nope', token);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: '404' });
  });

  it('generates the same directory from the same seed', () => {
    const one = new ScimDirectory(7);
    const two = new ScimDirectory(7);
    one.clock.set('2025-01-01T00:00:00Z');
    two.clock.set('2025-01-01T00:00:00Z');
    one.seed({ users: 20, groups: 2, membersPerGroup: 5 });
    two.seed({ users: 20, groups: 2, membersPerGroup: 5 });

    expect(two.listUsers()).toEqual(one.listUsers());
    expect(two.listGroups()).toEqual(one.listGroups());
    expect(new ScimDirectory(8).addUser().id).not.toBe(one.listUsers()[0]?.id);
  });
});

describe('example SCIM upstream: cursor paging (RFC 9865)', () => {
  let upstream: ScimUpstream;
  let token: string;

  beforeAll(async () => {
    upstream = await startScimUpstream({ users: 250, groups: 3, cursorPaging: true, cursorTimeoutSeconds: 1, maxResults: 500 });
    token = await obtainUpstreamToken(upstream);
  });
  afterAll(() => upstream.close());

  it('advertises cursor and index paging in /ServiceProviderConfig (RFC 9865 section 4)', async () => {
    const body = (await (await scimGet(upstream, '/ServiceProviderConfig', token)).json()) as Record<string, unknown>;

    expect(body.pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: 100,
      maxPageSize: 500,
      cursorTimeout: 1,
    });
  });

  it('walks every user exactly once and leaves nextCursor off the last page', async () => {
    const pages = await walkByCursor(upstream, '/Users', token, 40);

    expect(pages).toHaveLength(7);
    expect(pages.map((page) => page.itemsPerPage)).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(pages.every((page) => page.totalResults === 250 && page.startIndex === undefined)).toBe(true);
    expect(pages.slice(0, -1).every((page) => /^[A-Za-z0-9._~-]+$/.test(page.nextCursor ?? ''))).toBe(true);
    expect(pages.at(-1)).not.toHaveProperty('nextCursor');
    expect(idsOf(pages)).toEqual(upstream.directory.listUsers().map((user) => user.id));
  });

  it('neither repeats nor skips records that stay while others are added or removed mid-walk', async () => {
    const { directory } = upstream;
    const before = directory.listUsers().map((user) => user.id);
    const first = await listPage(upstream, '/Users', token, { cursor: '', count: 50 });
    const seenThenRemoved = before[10] as string;
    const removedUnseen = before[120] as string;
    directory.removeUser(seenThenRemoved);
    directory.removeUser(removedUnseen);
    const added = directory.addUser().id;
    const seen = first.Resources.map((user) => user.id);
    for (let cursor = first.nextCursor; cursor !== undefined;) {
      const page = await listPage(upstream, '/Users', token, { cursor, count: 50 });
      seen.push(...page.Resources.map((user) => user.id));
      cursor = page.nextCursor;
    }

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id !== added)).toEqual(before.filter((id) => id !== removedUnseen));
    expect(seen.includes(added)).toBe(added > (first.Resources.at(-1)?.id ?? ''));
  });

  it('rejects a tampered cursor, and a cursor of another endpoint, with 400 invalidCursor', async () => {
    const { nextCursor } = await listPage(upstream, '/Users', token, { cursor: '', count: 10 });
    const tampered = await scimGet(upstream, '/Users', token, { cursor: `${nextCursor}x`, count: 10 });
    const elsewhere = await scimGet(upstream, '/Groups', token, { cursor: nextCursor ?? '', count: 10 });
    const garbage = await scimGet(upstream, '/Users', token, { cursor: 'garbage', count: 10 });

    for (const response of [tampered, elsewhere, garbage]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidCursor',
      });
    }
  });

  it('rejects a cursor older than cursorTimeout with 400 expiredCursor', async () => {
    const { nextCursor } = await listPage(upstream, '/Users', token, { cursor: '', count: 10 });
    await sleep(1_100);
    const response = await scimGet(upstream, '/Users', token, { cursor: nextCursor ?? '', count: 10 });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ scimType: 'expiredCursor' });
  });

  it('still pages by index when asked for startIndex, and by cursor by default when configured so', async () => {
    const byIndex = await listPage(upstream, '/Users', token, { startIndex: 1, count: 10 });
    const cursorFirst = await startScimUpstream({ users: 30, cursorPaging: true, defaultPaginationMethod: 'cursor' });
    try {
      const byDefault = await listPage(cursorFirst, '/Users', await obtainUpstreamToken(cursorFirst), { count: 10 });

      expect([byIndex.startIndex, byIndex.nextCursor]).toEqual([1, undefined]);
      expect([byDefault.startIndex, typeof byDefault.nextCursor]).toEqual([undefined, 'string']);
    } finally {
      await cursorFirst.close();
    }
  });
});

describe('example SCIM upstream: filter meta.lastModified (RFC 7644 section 3.4.2.2)', () => {
  const seeded = '2025-03-01T09:00:00.000Z';
  const changed = '2025-03-02T09:00:00.000Z';
  let upstream: ScimUpstream;
  let token: string;
  let changedIds: string[];

  beforeAll(async () => {
    upstream = await startScimUpstream({ cursorPaging: true });
    const { directory } = upstream;
    directory.clock.set(seeded);
    const { userIds, groupIds } = directory.seed({ users: 120, groups: 4, membersPerGroup: 10 });
    directory.clock.set(changed);
    directory.updateUser(userIds[5] as string, { title: 'Chief Engineer' });
    directory.updateUser(userIds[77] as string, { active: false });
    const added = directory.addUser({ userName: 'ada.lovelace', givenName: 'Ada', familyName: 'Lovelace' });
    directory.updateGroup(groupIds[1] as string, { displayName: 'Renamed' });
    changedIds = [userIds[5] as string, userIds[77] as string, added.id].sort();
    token = await obtainUpstreamToken(upstream);
  });
  afterAll(() => upstream.close());

  it('returns exactly the users changed since the time given, by index and by cursor', async () => {
    const filter = `meta.lastModified ge "${changed}"`;
    const byIndex = await walkByIndex(upstream, '/Users', token, 2, { filter });
    const byCursor = await walkByCursor(upstream, '/Users', token, 2, { filter });

    expect(idsOf(byIndex)).toEqual(changedIds);
    expect(idsOf(byCursor)).toEqual(changedIds);
    expect(byIndex[0]?.totalResults).toBe(3);
  });

  it('reads the attribute name and operator case-insensitively, and gt as strictly after', async () => {
    const ge = await listPage(upstream, '/Users', token, { filter: `META.LASTMODIFIED GE "2025-03-02T10:00:00+01:00"` });
    const gt = await listPage(upstream, '/Users', token, { filter: `meta.lastModified gt "${changed}"` });
    const earlier = await listPage(upstream, '/Users', token, { filter: `meta.lastModified gt "2025-03-02T08:59:59.999999Z"`, count: 1 });

    expect(ge.Resources.map((user) => user.id)).toEqual(changedIds);
    expect(gt.totalResults).toBe(0);
    expect(earlier.totalResults).toBe(3);
  });

  it('filters groups the same way', async () => {
    const page = await listPage(upstream, '/Groups', token, { filter: `meta.lastModified ge "${changed}"` });

    expect(page.Resources.map((group) => group.displayName)).toEqual(['Renamed']);
  });

  it('answers other filters, and malformed dates, with 400 invalidFilter', async () => {
    for (const filter of [
      'userName eq "ada.lovelace"',
      'meta.lastModified lt "2025-01-01T00:00:00Z"',
      'meta.lastModified ge "yesterday"',
    ]) {
      const response = await scimGet(upstream, '/Users', token, { filter });
      const body = (await response.json()) as ScimErrorBody;

      expect([response.status, body.status, body.scimType, body.schemas]).toEqual([
        400,
        '400',
        'invalidFilter',
        ['urn:ietf:params:scim:api:messages:2.0:Error'],
      ]);
    }
  });

  it('answers any filter with 400 invalidFilter when filtering is switched off', async () => {
    const plain = await startScimUpstream({ users: 3, filterSupported: false });
    try {
      const plainToken = await obtainUpstreamToken(plain);
      const config = (await (await scimGet(plain, '/ServiceProviderConfig', plainToken)).json()) as { filter: unknown };
      const response = await scimGet(plain, '/Users', plainToken, { filter: `meta.lastModified ge "${changed}"` });

      expect(config.filter).toEqual({ supported: false, maxResults: 1000 });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ scimType: 'invalidFilter' });
    } finally {
      await plain.close();
    }
  });
});

describe('example SCIM upstream: directory edits', () => {
  it('stamps writes with the clock or an explicit time, and clears attributes set to null', () => {
    const directory = new ScimDirectory();
    directory.clock.set('2025-05-01T00:00:00Z');
    const user = directory.addUser({ userName: 'grace', title: 'Admiral' });
    directory.clock.advance(1_000);
    const updated = directory.updateUser(user.id, { title: null, department: null });
    const later = directory.updateUser(user.id, { active: false }, { at: '2025-06-01T12:00:00.250Z' });

    expect([user.emails?.[0]?.value, user.meta.created, user.meta.lastModified]).toEqual([
      'grace@example.com',
      '2025-05-01T00:00:00.000Z',
      '2025-05-01T00:00:00.000Z',
    ]);
    expect(updated).not.toHaveProperty('title');
    expect(updated.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
    expect([updated.meta.created, updated.meta.lastModified]).toEqual(['2025-05-01T00:00:00.000Z', '2025-05-01T00:00:01.000Z']);
    expect([later.active, later.meta.lastModified]).toEqual([false, '2025-06-01T12:00:00.250Z']);
  });

  it('edits group membership, and removing a user drops it from its groups and marks them modified', () => {
    const directory = new ScimDirectory();
    directory.clock.set('2025-05-01T00:00:00Z');
    const [a, b, c] = [directory.addUser(), directory.addUser(), directory.addUser()];
    const group = directory.addGroup({ displayName: 'Engines', members: [a.id, b.id] });
    directory.updateGroup(group.id, { addMembers: [c.id], removeMembers: [a.id] });
    directory.clock.set('2025-05-02T00:00:00Z');

    directory.removeUser(b.id);

    const after = directory.getGroup(group.id);
    expect(after?.members.map((member) => member.value)).toEqual([c.id]);
    expect(after?.meta.lastModified).toBe('2025-05-02T00:00:00.000Z');
    expect(directory.getUser(b.id)).toBeUndefined();
    expect(() => directory.addGroup({ members: ['nobody'] })).toThrow(/No user/);
    directory.removeGroup(group.id);
    expect(directory.groupCount).toBe(0);
  });
});

describe('example SCIM upstream: listing delay (listDelayMs)', () => {
  let upstream: ScimUpstream;
  let token: string;

  beforeAll(async () => {
    // Longer than the test: a listing asked for while it applies is answered only when close() releases it.
    upstream = await startScimUpstream({ users: 5, listDelayMs: 600_000 });
    token = await obtainUpstreamToken(upstream);
  });
  afterAll(() => upstream.close());

  it('counts a listing on arrival but holds its answer back; other endpoints and later listings after setListDelay(0) answer', async () => {
    let settled = false;
    const held = scimGet(upstream, '/Users', token).finally(() => (settled = true));
    for (const deadline = Date.now() + 5_000; upstream.stats.apiRequests['/Users'] !== 1;) {
      if (Date.now() > deadline) throw new Error('the held listing never reached the upstream');
      await sleep(20);
    }

    // Only listings wait: the provider configuration answers while the listing is held.
    expect((await scimGet(upstream, '/ServiceProviderConfig', token)).status).toBe(200);
    upstream.setListDelay(0);
    const groups = await scimGet(upstream, '/Groups', token);
    expect(groups.status).toBe(200);
    // The change applies to listings that arrive from now on; the one already waiting keeps its delay.
    expect(settled).toBe(false);

    await upstream.close();
    await held.catch(() => undefined);
    expect(settled).toBe(true);
  });

  it('refuses a delay that is not a whole number of milliseconds', async () => {
    await expect(startScimUpstream({ listDelayMs: -1 })).rejects.toThrow(
      'listDelayMs must be a whole number of milliseconds >= 0, not -1.',
    );
    expect(() => upstream.setListDelay(1.5)).toThrow('listDelayMs must be a whole number of milliseconds >= 0, not 1.5.');
  });
});

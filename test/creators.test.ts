import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../src/common/global-id';
import {
  CreateClientDocument,
  CreateCreatorDocument,
  CreatorsDocument,
  CreatorsTestCampaignsDocument,
  CreatorsTestCreatorDocument,
  NodeDocument,
  UpdateCreatorDocument,
  ViewerDocument,
  type CreateCreatorInput,
  type CreatorOrderField,
  type CreatorsQueryVariables,
  type SortDirection,
} from './generated/graphql';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;
let rival: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency('Acme Creators');
  rival = await t.createAgency('Rival Creators');
});
afterAll(() => t.stop());

/** The sorted keys of the first error's extensions.fields. */
function fieldsOf(res: GqlResult<unknown>): string[] {
  return Object.keys(res.errors?.[0]?.extensions?.fields ?? {}).sort();
}

let handleCounter = 0;
/** A handle no other test uses (letters and digits only, so it sorts the same in any collation). */
function uniqueHandle(prefix = 'c'): string {
  return `${prefix}${++handleCounter}x${Math.random().toString(36).slice(2, 7)}`;
}

async function createCreator(agency: TestAgency, input: Partial<CreateCreatorInput> = {}) {
  const { createCreator } = await t.ok(
    CreateCreatorDocument,
    { input: { handle: uniqueHandle(), followerCount: 1000, ...input } },
    agency.token,
  );
  return createCreator;
}

async function readCreator(id: string, agency: TestAgency = acme) {
  const { node } = await t.ok(CreatorsTestCreatorDocument, { id }, agency.token);
  if (node?.__typename !== 'Creator') return null;
  const { __typename, ...creator } = node;
  return creator;
}

/** Handles of the creators matching a search, as the API lists them. */
async function handlesMatching(agency: TestAgency, search: string): Promise<string[]> {
  const { creators } = await t.ok(CreatorsDocument, { filter: { search }, first: 100 }, agency.token);
  return creators.edges.map((e) => e.node.handle);
}

describe('createCreator', () => {
  it('normalises the handle, niches, region and e-mail', async () => {
    const handle = uniqueHandle('Jane.Doe_');
    const creator = await createCreator(acme, {
      handle: `@${handle}`,
      displayName: 'Jane Doe',
      followerCount: 125_000,
      engagementRate: 0.052,
      niches: ['Beauty', 'beauty', 'SkinCare', 'BEAUTY'],
      region: 'us',
      email: 'Jane.Doe@Example.COM',
    });
    expect(creator).toMatchObject({
      handle: handle.toLowerCase(),
      displayName: 'Jane Doe',
      followerCount: 125_000,
      engagementRate: 0.052,
      niches: ['beauty', 'skincare'],
      region: 'US',
      email: 'jane.doe@example.com',
    });
    expect(creator.id).toEqual(expect.any(String));
    expect(Date.now() - new Date(creator.createdAt).getTime()).toBeLessThan(60_000);

    const { node } = await t.ok(NodeDocument, { id: creator.id }, acme.token);
    expect(node).toEqual({ __typename: 'Creator', id: creator.id, handle: handle.toLowerCase() });
  });

  it('needs only a handle and a follower count; the rest defaults to empty', async () => {
    const handle = uniqueHandle();
    const creator = await createCreator(acme, { handle, followerCount: 0 });
    expect(creator).toMatchObject({
      handle,
      displayName: null,
      followerCount: 0,
      engagementRate: null,
      niches: [],
      region: null,
      email: null,
    });
  });

  it('accepts engagement rates of exactly 0 and 1', async () => {
    expect((await createCreator(acme, { engagementRate: 0 })).engagementRate).toBe(0);
    expect((await createCreator(acme, { engagementRate: 1 })).engagementRate).toBe(1);
  });

  it.each([
    ['contains a space', 'jane doe'],
    ['is too long (25 characters)', 'a'.repeat(25)],
    ['is one character', 'x'],
    ['is one character after the @', '@x'],
    ['is empty', ''],
    ['has a character TikTok does not allow', 'jane-doe'],
  ])('rejects a handle that %s as BAD_USER_INPUT on input.handle', async (_why, handle) => {
    const res = await t.gql(CreateCreatorDocument, { input: { handle, followerCount: 10 } }, acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(res)).toEqual(['input.handle']);
    expect(res.data ?? null).toBeNull();
  });

  it('accepts a 24-character handle with a leading @', async () => {
    const handle = `z${uniqueHandle()}`.padEnd(24, '9').slice(0, 24);
    expect((await createCreator(acme, { handle: `@${handle}` })).handle).toBe(handle);
  });

  it.each([[1.01], [-0.01], [52]])('rejects engagementRate %p (outside 0..1) on input.engagementRate', async (engagementRate) => {
    const handle = uniqueHandle();
    const res = await t.gql(CreateCreatorDocument, { input: { handle, followerCount: 10, engagementRate } }, acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(res)).toEqual(['input.engagementRate']);
    expect(await handlesMatching(acme, handle)).toEqual([]);
  });

  it('rejects a negative follower count on input.followerCount', async () => {
    const handle = uniqueHandle();
    const res = await t.gql(CreateCreatorDocument, { input: { handle, followerCount: -1 } }, acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(res)).toEqual(['input.followerCount']);
    expect(await handlesMatching(acme, handle)).toEqual([]);
  });

  it('rejects a malformed e-mail on input.email', async () => {
    const handle = uniqueHandle();
    const res = await t.gql(CreateCreatorDocument, { input: { handle, followerCount: 10, email: 'not-an-email' } }, acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(res)).toEqual(['input.email']);
    expect(await handlesMatching(acme, handle)).toEqual([]);
  });

  it('reports every bad field of an input at once, and creates nothing', async () => {
    const res = await t.gql(
      CreateCreatorDocument,
      { input: { handle: 'bad handle', followerCount: 10, engagementRate: 3, displayName: '' } },
      acme.token,
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(res)).toEqual(['input.displayName', 'input.engagementRate', 'input.handle']);
    expect(await handlesMatching(acme, 'bad handle')).toEqual([]);
  });
});

describe('createCreator: handles are unique per agency', () => {
  it('refuses a handle already in use, whatever its case or @, as CONFLICT on input.handle', async () => {
    const handle = uniqueHandle('foo');
    const first = await createCreator(acme, { handle, displayName: 'The original' });

    const res = await t.gql(CreateCreatorDocument, { input: { handle: `@${handle.toUpperCase()}`, followerCount: 5 } }, acme.token);
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(fieldsOf(res)).toEqual(['input.handle']);
    expect(res.data ?? null).toBeNull();

    const { creators } = await t.ok(CreatorsDocument, { filter: { search: handle } }, acme.token);
    expect(creators.totalCount).toBe(1);
    expect(creators.edges.map((e) => e.node)).toEqual([first]);
  });

  it('lets exactly one of five simultaneous creates with the same handle win; the rest get CONFLICT', async () => {
    const handle = uniqueHandle('race');
    const spellings = [handle, `@${handle}`, handle.toUpperCase(), `@${handle.toUpperCase()}`, handle];
    const results = await Promise.all(
      spellings.map((h, i) => t.gql(CreateCreatorDocument, { input: { handle: h, followerCount: i } }, acme.token)),
    );

    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(winners[0].data?.createCreator.handle).toBe(handle);
    expect(losers).toHaveLength(4);
    for (const loser of losers) {
      expect(codes(loser)).toEqual(['CONFLICT']);
      expect(fieldsOf(loser)).toEqual(['input.handle']);
    }

    const { creators } = await t.ok(CreatorsDocument, { filter: { search: handle } }, acme.token);
    expect(creators.totalCount).toBe(1);
    expect(creators.edges.map((e) => e.node.id)).toEqual([winners[0].data?.createCreator.id]);
  });

  it('allows the same handle in another agency', async () => {
    const handle = uniqueHandle('shared');
    const mine = await createCreator(acme, { handle });
    const theirs = await createCreator(rival, { handle: `@${handle.toUpperCase()}` });
    expect(theirs.handle).toBe(handle);
    expect(theirs.id).not.toBe(mine.id);
    expect(await handlesMatching(acme, handle)).toEqual([handle]);
    expect(await handlesMatching(rival, handle)).toEqual([handle]);
  });
});

describe('updateCreator', () => {
  const full = (): Partial<CreateCreatorInput> => ({
    handle: uniqueHandle('upd'),
    displayName: 'Full Name',
    followerCount: 4200,
    engagementRate: 0.08,
    niches: ['food', 'travel'],
    region: 'GB',
    email: 'full@example.com',
  });

  it('changes only the fields given', async () => {
    const before = await createCreator(acme, full());

    const { updateCreator: afterCount } = await t.ok(UpdateCreatorDocument, { id: before.id, input: { followerCount: 5000 } }, acme.token);
    expect(afterCount).toEqual({ ...before, followerCount: 5000 });

    const { updateCreator: afterNiches } = await t.ok(
      UpdateCreatorDocument,
      { id: before.id, input: { niches: ['Gaming', 'GAMING', 'Tech'], region: 'de', email: 'New@Example.com' } },
      acme.token,
    );
    expect(afterNiches).toEqual({ ...before, followerCount: 5000, niches: ['gaming', 'tech'], region: 'DE', email: 'new@example.com' });

    expect(await readCreator(before.id)).toEqual(afterNiches);
  });

  it('clears displayName, email, region and engagementRate when given null', async () => {
    const before = await createCreator(acme, full());
    const { updateCreator } = await t.ok(
      UpdateCreatorDocument,
      { id: before.id, input: { displayName: null, email: null, region: null, engagementRate: null } },
      acme.token,
    );
    expect(updateCreator).toEqual({ ...before, displayName: null, email: null, region: null, engagementRate: null });
    expect(await readCreator(before.id)).toEqual(updateCreator);
  });

  it('clears niches when given null or an empty list', async () => {
    const a = await createCreator(acme, full());
    const b = await createCreator(acme, full());
    expect((await t.ok(UpdateCreatorDocument, { id: a.id, input: { niches: null } }, acme.token)).updateCreator.niches).toEqual([]);
    expect((await t.ok(UpdateCreatorDocument, { id: b.id, input: { niches: [] } }, acme.token)).updateCreator.niches).toEqual([]);
  });

  it('refuses followerCount: null as BAD_USER_INPUT and changes nothing else of that update', async () => {
    const before = await createCreator(acme, full());
    const res = await t.gql(UpdateCreatorDocument, { id: before.id, input: { displayName: 'Half written', followerCount: null } }, acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(res)).toEqual(['input.followerCount']);
    expect(await readCreator(before.id)).toEqual(before);
  });

  it('validates the fields it is given', async () => {
    const before = await createCreator(acme, full());
    const rate = await t.gql(UpdateCreatorDocument, { id: before.id, input: { engagementRate: 1.5, displayName: 'x' } }, acme.token);
    expect(codes(rate)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(rate)).toEqual(['input.engagementRate']);

    const negative = await t.gql(UpdateCreatorDocument, { id: before.id, input: { followerCount: -5 } }, acme.token);
    expect(codes(negative)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(negative)).toEqual(['input.followerCount']);

    const email = await t.gql(UpdateCreatorDocument, { id: before.id, input: { email: 'nope' } }, acme.token);
    expect(codes(email)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(email)).toEqual(['input.email']);

    expect(await readCreator(before.id)).toEqual(before);
  });

  it("answers NOT_FOUND for another agency's creator, exactly as for one that does not exist, and leaves it alone", async () => {
    const theirs = await createCreator(rival, full());
    const res = await t.gql(UpdateCreatorDocument, { id: theirs.id, input: { displayName: 'Hijacked' } }, acme.token);
    const missing = await t.gql(UpdateCreatorDocument, { id: toGlobalId('Creator', randomUUID()), input: { displayName: 'Ghost' } }, acme.token);

    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(res.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(res.errors?.[0].extensions).toEqual(missing.errors?.[0].extensions);
    expect(await readCreator(theirs.id, rival)).toEqual(theirs);
  });

  it('refuses an id of another type, or no id at all, as BAD_USER_INPUT on id', async () => {
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: 'Not a creator' } }, acme.token);
    const { viewer } = await t.ok(ViewerDocument, {}, acme.token);
    for (const id of [createClient.id, viewer!.id, 'not-an-id']) {
      const res = await t.gql(UpdateCreatorDocument, { id, input: { displayName: 'x' } }, acme.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(res)).toEqual(['id']);
    }
    const { node } = await t.ok(NodeDocument, { id: createClient.id }, acme.token);
    expect(node).toMatchObject({ __typename: 'Client', name: 'Not a creator' });
  });
});

describe('creators query', () => {
  // A roster of its own, so other tests' creators never show up here.
  let roster: TestAgency;
  let created: Array<{ id: string; handle: string; followerCount: number }>;

  const all = async (vars: CreatorsQueryVariables, agency: TestAgency = roster) => (await t.ok(CreatorsDocument, vars, agency.token)).creators;
  const handles = async (vars: CreatorsQueryVariables, agency: TestAgency = roster) =>
    (await all({ first: 100, ...vars }, agency)).edges.map((e) => e.node.handle);

  beforeAll(async () => {
    roster = await t.createAgency('Roster Agency');
    created = [];
    // Created one after another: creation order is alpha, bravo, charlie_x, delta, echo.
    for (const input of [
      { handle: 'alpha', displayName: 'Alice Wonder', followerCount: 1000, niches: ['beauty', 'skincare'], region: 'US' },
      { handle: 'bravo', displayName: 'Bob Builder', followerCount: 5000, niches: ['Fitness'], region: 'GB' },
      { handle: 'charlie_x', displayName: 'Charlie', followerCount: 5000, niches: ['Beauty', 'food'], region: 'US' },
      { handle: 'delta', followerCount: 200 },
      { handle: 'echo', displayName: 'Eve Alice', followerCount: 5000, niches: ['food'], region: 'US' },
    ]) {
      created.push(await createCreator(roster, input));
    }
    // Another agency with look-alike creators that must never leak into roster's lists.
    await createCreator(rival, { handle: 'alpha', displayName: 'Alice Rival', followerCount: 9_000_000, niches: ['beauty'], region: 'US' });
    await createCreator(rival, { handle: 'zulu', displayName: 'Zed', followerCount: 7000, niches: ['food', 'fitness'], region: 'US' });
  });

  it('lists the agency’s creators oldest first by default, with totalCount', async () => {
    const creators = await all({});
    expect(creators.totalCount).toBe(5);
    expect(creators.edges.map((e) => e.node.id)).toEqual(created.map((c) => c.id));
    expect(creators.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('searches handle and display name, case-insensitively', async () => {
    expect(await handles({ filter: { search: 'BRAV' } })).toEqual(['bravo']);
    expect(await handles({ filter: { search: 'aLiCe' } })).toEqual(['alpha', 'echo']);
    expect(await handles({ filter: { search: 'builder' } })).toEqual(['bravo']);
    expect(await handles({ filter: { search: 'nobody-here' } })).toEqual([]);
  });

  it("finds a creator by '@handle'", async () => {
    expect(await handles({ filter: { search: '@Bravo' } })).toEqual(['bravo']);
    expect(await handles({ filter: { search: '@delta' } })).toEqual(['delta']);
  });

  it('treats LIKE wildcards in the search literally', async () => {
    expect(await handles({ filter: { search: '_' } })).toEqual(['charlie_x']);
    expect(await handles({ filter: { search: '%' } })).toEqual([]);
  });

  it('filters by any of the given niches, case-insensitively', async () => {
    expect(await handles({ filter: { niches: ['BEAUTY'] } })).toEqual(['alpha', 'charlie_x']);
    expect(await handles({ filter: { niches: ['fitness', 'Food'] } })).toEqual(['bravo', 'charlie_x', 'echo']);
    expect(await handles({ filter: { niches: ['cooking'] } })).toEqual([]);
  });

  it('filters by minimum followers, inclusive', async () => {
    expect(await handles({ filter: { minFollowers: 5000 } })).toEqual(['bravo', 'charlie_x', 'echo']);
    expect(await handles({ filter: { minFollowers: 1000 } })).toEqual(['alpha', 'bravo', 'charlie_x', 'echo']);
    expect(await handles({ filter: { minFollowers: 0 } })).toEqual(['alpha', 'bravo', 'charlie_x', 'delta', 'echo']);
  });

  it('filters by region, whatever its case', async () => {
    expect(await handles({ filter: { region: 'us' } })).toEqual(['alpha', 'charlie_x', 'echo']);
    expect(await handles({ filter: { region: 'GB' } })).toEqual(['bravo']);
    expect(await handles({ filter: { region: 'FR' } })).toEqual([]);
  });

  it('combines filters with AND, and totalCount counts every match across pages', async () => {
    const one = await all({ filter: { niches: ['beauty'], minFollowers: 2000, region: 'US' } });
    expect(one.totalCount).toBe(1);
    expect(one.edges.map((e) => e.node.handle)).toEqual(['charlie_x']);

    const page = await all({ first: 1, filter: { search: 'A', niches: ['food'], minFollowers: 5000 } });
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((e) => e.node.handle)).toEqual(['charlie_x']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await all({ first: 1, after: page.pageInfo.endCursor, filter: { search: 'A', niches: ['food'], minFollowers: 5000 } });
    expect(rest.totalCount).toBe(2);
    expect(rest.edges.map((e) => e.node.handle)).toEqual(['echo']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('rejects bad filter values on their path', async () => {
    const negative = await t.gql(CreatorsDocument, { filter: { minFollowers: -1 } }, roster.token);
    expect(codes(negative)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(negative)).toEqual(['filter.minFollowers']);
    const region = await t.gql(CreatorsDocument, { filter: { region: 'XX' } }, roster.token);
    expect(codes(region)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(region)).toEqual(['filter.region']);
  });

  it('orders by handle, ascending and descending', async () => {
    const asc = ['alpha', 'bravo', 'charlie_x', 'delta', 'echo'];
    expect(await handles({ orderBy: { field: 'HANDLE', direction: 'ASC' } })).toEqual(asc);
    expect(await handles({ orderBy: { field: 'HANDLE', direction: 'DESC' } })).toEqual([...asc].reverse());
  });

  it('orders by creation time, ascending and descending', async () => {
    const order = created.map((c) => c.handle);
    expect(await handles({ orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).toEqual(order);
    expect(await handles({ orderBy: { field: 'CREATED_AT', direction: 'DESC' } })).toEqual([...order].reverse());
  });

  it('orders by follower count, ties in a stable order', async () => {
    const desc = await all({ first: 100, orderBy: { field: 'FOLLOWER_COUNT', direction: 'DESC' } });
    const counts = desc.edges.map((e) => e.node.followerCount);
    expect(counts).toEqual([5000, 5000, 5000, 1000, 200]);
    expect(desc.edges.slice(0, 3).map((e) => e.node.handle).sort()).toEqual(['bravo', 'charlie_x', 'echo']);
    expect(desc.edges.slice(3).map((e) => e.node.handle)).toEqual(['alpha', 'delta']);

    const again = await all({ first: 100, orderBy: { field: 'FOLLOWER_COUNT', direction: 'DESC' } });
    expect(again.edges.map((e) => e.node.id)).toEqual(desc.edges.map((e) => e.node.id));

    const asc = await all({ first: 100, orderBy: { field: 'FOLLOWER_COUNT', direction: 'ASC' } });
    expect(asc.edges.map((e) => e.node.followerCount)).toEqual([200, 1000, 5000, 5000, 5000]);
  });

  it.each<[CreatorOrderField, SortDirection]>([
    ['FOLLOWER_COUNT', 'DESC'],
    ['FOLLOWER_COUNT', 'ASC'],
    ['HANDLE', 'ASC'],
    ['CREATED_AT', 'DESC'],
  ])('pages through %s %s two at a time, returning every creator exactly once, in order', async (field, direction) => {
    const orderBy = { field, direction };
    const whole = (await all({ first: 100, orderBy })).edges.map((e) => e.node.id);

    const paged: string[] = [];
    const sizes: number[] = [];
    let after: string | null | undefined = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: Awaited<ReturnType<typeof all>> = await all({ first: 2, after, orderBy });
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      paged.push(...page.edges.map((e) => e.node.id));
      sizes.push(page.edges.length);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(new Set(paged).size).toBe(5);
    expect(paged).toEqual(whole);
  });

  it('refuses a cursor issued for another ordering', async () => {
    const byHandle = await all({ first: 2, orderBy: { field: 'HANDLE', direction: 'ASC' } });
    const res = await t.gql(
      CreatorsDocument,
      { first: 2, after: byHandle.pageInfo.endCursor, orderBy: { field: 'FOLLOWER_COUNT', direction: 'DESC' } },
      roster.token,
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(res)).toEqual(['after']);
  });

  it("never shows another agency's creators", async () => {
    expect(await handles({ filter: { search: 'zulu' } })).toEqual([]);
    expect(await handles({ filter: { search: 'alpha' } })).toEqual(['alpha']);
    const rich = await all({ first: 1, orderBy: { field: 'FOLLOWER_COUNT', direction: 'DESC' } });
    expect(rich.edges[0].node.followerCount).toBe(5000);
    expect((await all({ filter: { region: 'US' } })).totalCount).toBe(3);

    const theirs = await all({ first: 100, filter: { search: 'alpha' } }, rival);
    expect(theirs.edges.map((e) => e.node.displayName)).toEqual(['Alice Rival']);
    const { node } = await t.ok(NodeDocument, { id: theirs.edges[0].node.id }, roster.token);
    expect(node).toBeNull();
  });
});

describe('Creator.campaigns', () => {
  it('is an empty connection for a new creator', async () => {
    const creator = await createCreator(acme);
    const { node } = await t.ok(CreatorsTestCampaignsDocument, { id: creator.id, first: 10 }, acme.token);
    expect(node).toEqual({
      id: creator.id,
      campaigns: {
        totalCount: 0,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        edges: [],
      },
    });
  });
});

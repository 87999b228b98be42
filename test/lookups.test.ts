/**
 * What a frontend reaches for: typed root lookups (client, shop, campaign, creator,
 * creatorByHandle), Campaign.enrollments(filter:), and orderBy on the clients and campaigns
 * connections, paged both ways.
 */
import { randomUUID } from 'node:crypto';
import {
  AccessTestCreateMemberDocument,
  CampaignOrder,
  ClientOrder,
  CreateApiKeyDocument,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  EnrollCreatorsDocument,
  EnrollmentsTestSetStatusDocument,
  LoginDocument,
  LookupsTestCampaignDocument,
  LookupsTestCampaignEnrollmentsDocument,
  LookupsTestCampaignEnrollmentsQuery,
  LookupsTestCampaignsDocument,
  LookupsTestCampaignsQuery,
  LookupsTestCampaignsQueryVariables,
  LookupsTestCampaignsTwoFiltersDocument,
  LookupsTestClientDocument,
  LookupsTestClientsDocument,
  LookupsTestClientsQuery,
  LookupsTestClientsQueryVariables,
  LookupsTestCreatorByHandleDocument,
  LookupsTestCreatorDocument,
  LookupsTestShopDocument,
} from './generated/graphql';
import { missingId } from './support/ids';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;

const PASSWORD = 'correct-horse-battery';
let counter = 0;

/** An agency with two clients, each with a shop, a campaign and a creator enrolled in it. */
interface World {
  agency: TestAgency;
  token: string;
  client: string[];
  shop: string[];
  campaign: string[];
  creator: string[];
  handle: string[];
  enrollment: string[];
}

async function world(label: string): Promise<World> {
  const agency = await t.createAgency(`${label} Agency`);
  const token = agency.token;
  const w: World = { agency, token, client: [], shop: [], campaign: [], creator: [], handle: [], enrollment: [] };
  for (let i = 0; i < 2; i++) {
    const n = ++counter;
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: `${label} Client ${i}` } }, token);
    const { createShop } = await t.ok(
      CreateShopDocument,
      { input: { clientId: createClient.id, name: `${label} Shop ${i}`, externalId: `ext-${randomUUID()}`, region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
      token,
    );
    const { createCampaign } = await t.ok(
      CreateCampaignDocument,
      { input: { shopId: createShop.id, name: `${label} Campaign ${i}`, objective: 'SALES', startDate: '2026-01-01', commissionRateBps: 1000 } },
      token,
    );
    const handle = `glow.lab_${n}`;
    const { createCreator } = await t.ok(
      CreateCreatorDocument,
      { input: { handle, followerCount: 1000, email: `creator-${n}@example.com` } },
      token,
    );
    const { enrollCreators } = await t.ok(EnrollCreatorsDocument, { campaignId: createCampaign.id, creators: [{ creatorId: createCreator.id }] }, token);
    w.client.push(createClient.id);
    w.shop.push(createShop.id);
    w.campaign.push(createCampaign.id);
    w.creator.push(createCreator.id);
    w.handle.push(handle);
    w.enrollment.push(enrollCreators[0].id);
  }
  return w;
}

async function member(w: World, role: string, clientId?: string): Promise<string> {
  const email = `${role.toLowerCase()}-${++counter}@example.com`;
  await t.ok(AccessTestCreateMemberDocument, { input: { email, name: role, role: role as never, clientId, password: PASSWORD } }, w.token);
  return (await t.ok(LoginDocument, { email, password: PASSWORD })).login.token;
}

async function apiKey(w: World, scope: 'READ' | 'WRITE'): Promise<string> {
  return (await t.ok(CreateApiKeyDocument, { name: `key ${scope}`, scopes: [scope] }, w.token)).createApiKey.secret;
}

/** Asserts one error with this code and exactly these extensions.fields keys, and no data. */
function expectError(res: GqlResult<unknown>, code: string, fields?: string[]): void {
  expect(codes(res)).toEqual([code]);
  if (fields) expect(Object.keys(res.errors?.[0].extensions?.fields ?? {}).sort()).toEqual([...fields].sort());
  // A nullable root field answers null beside its error.
  expect(Object.values(res.data ?? {}).every((v) => v === null)).toBe(true);
}

let a: World;
let b: World;

beforeAll(async () => {
  t = await startTestServer();
  a = await world('Alpha');
  b = await world('Bravo');
}, 60_000);
afterAll(() => t.stop());

describe('client, shop, campaign, creator (id:)', () => {
  it('return the object, with its relations', async () => {
    expect((await t.ok(LookupsTestClientDocument, { id: a.client[0] }, a.token)).client).toEqual({ id: a.client[0], name: 'Alpha Client 0' });
    expect((await t.ok(LookupsTestShopDocument, { id: a.shop[1] }, a.token)).shop).toEqual({
      id: a.shop[1],
      name: 'Alpha Shop 1',
      timeZone: 'America/New_York',
      client: { id: a.client[1] },
    });
    expect((await t.ok(LookupsTestCampaignDocument, { id: a.campaign[0] }, a.token)).campaign).toEqual({
      id: a.campaign[0],
      name: 'Alpha Campaign 0',
      shop: { id: a.shop[0] },
    });
    expect((await t.ok(LookupsTestCreatorDocument, { id: a.creator[0] }, a.token)).creator).toMatchObject({ id: a.creator[0], handle: a.handle[0] });
  });

  it("return null, without an error, for another agency's ids exactly as for ids that never existed", async () => {
    const cases = [
      [LookupsTestClientDocument, 'Client', b.client[0]],
      [LookupsTestShopDocument, 'Shop', b.shop[0]],
      [LookupsTestCampaignDocument, 'Campaign', b.campaign[0]],
      [LookupsTestCreatorDocument, 'Creator', b.creator[0]],
    ] as const;
    for (const [document, type, id] of cases) {
      for (const probe of [id, missingId(type)]) {
        const res = await t.gql(document as typeof LookupsTestClientDocument, { id: probe }, a.token);
        expect({ type, errors: res.errors, data: res.data }).toEqual({ type, errors: undefined, data: { [type.toLowerCase()]: null } });
      }
    }
  });

  it('refuse an id of another type, or not an id at all, as BAD_USER_INPUT on id', async () => {
    expectError(await t.gql(LookupsTestClientDocument, { id: a.shop[0] }, a.token), 'BAD_USER_INPUT', ['id']);
    expectError(await t.gql(LookupsTestShopDocument, { id: a.client[0] }, a.token), 'BAD_USER_INPUT', ['id']);
    expectError(await t.gql(LookupsTestCampaignDocument, { id: a.enrollment[0] }, a.token), 'BAD_USER_INPUT', ['id']);
    expectError(await t.gql(LookupsTestCreatorDocument, { id: 'not-an-id' }, a.token), 'BAD_USER_INPUT', ['id']);
    const res = await t.gql(LookupsTestClientDocument, { id: a.shop[0] }, a.token);
    expect(res.errors?.[0].extensions?.fields?.id).toEqual(['Expected a Client id, got a Shop id']);
  });

  it('batch: many lookups of one type in one request are one statement', async () => {
    const query = `query ($a: ID!, $b: ID!, $c: ID!) { x: client(id: $a) { id } y: client(id: $b) { id } z: client(id: $c) { id } }`;
    t.sql.reset();
    const one = await t.gql<Record<string, { id: string } | null>, Record<string, string>>(`query ($a: ID!) { x: client(id: $a) { id } }`, { a: a.client[0] }, a.token);
    const single = t.sql.count;
    t.sql.reset();
    const res = await t.gql<Record<string, { id: string } | null>, Record<string, string>>(query, { a: a.client[0], b: a.client[1], c: b.client[0] }, a.token);
    expect(one.errors).toBeUndefined();
    expect(res.data).toEqual({ x: { id: a.client[0] }, y: { id: a.client[1] }, z: null });
    expect(t.sql.count).toBe(single);
  });
});

describe('creatorByHandle', () => {
  it("finds a creator whatever the case of the handle, with or without '@'", async () => {
    for (const handle of [a.handle[0], `@${a.handle[0]}`, a.handle[0].toUpperCase(), `@Glow.Lab_${a.handle[0].split('_')[1]}`]) {
      const { creatorByHandle } = await t.ok(LookupsTestCreatorByHandleDocument, { handle }, a.token);
      expect({ handle, found: creatorByHandle?.id }).toEqual({ handle, found: a.creator[0] });
    }
  });

  it("returns null for a handle no creator of the agency has, and for another agency's creator", async () => {
    expect((await t.ok(LookupsTestCreatorByHandleDocument, { handle: 'nobody_here' }, a.token)).creatorByHandle).toBeNull();
    expect((await t.ok(LookupsTestCreatorByHandleDocument, { handle: b.handle[0] }, a.token)).creatorByHandle).toBeNull();
  });

  it('refuses a string that cannot be a handle as BAD_USER_INPUT on handle', async () => {
    for (const handle of ['', 'a', 'has space', 'x'.repeat(25), 'semi;colon']) {
      const res = await t.gql(LookupsTestCreatorByHandleDocument, { handle }, a.token);
      expect({ handle, codes: codes(res), fields: Object.keys(res.errors?.[0].extensions?.fields ?? {}) }).toEqual({
        handle,
        codes: ['BAD_USER_INPUT'],
        fields: ['handle'],
      });
    }
  });
});

describe('lookups as a CLIENT_VIEWER, an analyst and API keys', () => {
  it("a client viewer sees its client's rows and gets null for the other client's, like node", async () => {
    const viewer = await member(a, 'CLIENT_VIEWER', a.client[0]);
    expect((await t.ok(LookupsTestClientDocument, { id: a.client[0] }, viewer)).client?.id).toBe(a.client[0]);
    expect((await t.ok(LookupsTestShopDocument, { id: a.shop[0] }, viewer)).shop?.id).toBe(a.shop[0]);
    expect((await t.ok(LookupsTestCampaignDocument, { id: a.campaign[0] }, viewer)).campaign?.id).toBe(a.campaign[0]);
    // Creators enrolled with their client: visible, without the personal e-mail.
    expect((await t.ok(LookupsTestCreatorDocument, { id: a.creator[0] }, viewer)).creator).toEqual({ id: a.creator[0], handle: a.handle[0], email: null });
    expect((await t.ok(LookupsTestCreatorByHandleDocument, { handle: a.handle[0] }, viewer)).creatorByHandle?.id).toBe(a.creator[0]);

    expect((await t.ok(LookupsTestClientDocument, { id: a.client[1] }, viewer)).client).toBeNull();
    expect((await t.ok(LookupsTestShopDocument, { id: a.shop[1] }, viewer)).shop).toBeNull();
    expect((await t.ok(LookupsTestCampaignDocument, { id: a.campaign[1] }, viewer)).campaign).toBeNull();
    expect((await t.ok(LookupsTestCreatorDocument, { id: a.creator[1] }, viewer)).creator).toBeNull();
    expect((await t.ok(LookupsTestCreatorByHandleDocument, { handle: a.handle[1] }, viewer)).creatorByHandle).toBeNull();
  });

  it('need READ: an analyst and a READ key may look up; a WRITE-only key is FORBIDDEN', async () => {
    const analyst = await member(a, 'ANALYST');
    const readKey = await apiKey(a, 'READ');
    const writeKey = await apiKey(a, 'WRITE');
    for (const token of [analyst, readKey]) {
      expect((await t.ok(LookupsTestClientDocument, { id: a.client[0] }, token)).client?.id).toBe(a.client[0]);
      expect((await t.ok(LookupsTestCreatorByHandleDocument, { handle: a.handle[0] }, token)).creatorByHandle?.id).toBe(a.creator[0]);
    }
    expectError(await t.gql(LookupsTestClientDocument, { id: a.client[0] }, writeKey), 'FORBIDDEN');
    expectError(await t.gql(LookupsTestCreatorByHandleDocument, { handle: a.handle[0] }, writeKey), 'FORBIDDEN');
    expectError(await t.gql(LookupsTestShopDocument, { id: a.shop[0] }), 'UNAUTHENTICATED');
  });
});

describe('Campaign.enrollments(filter:)', () => {
  /**
   * A campaign with six creators: two INVITED, two ACCEPTED, one DECLINED, one REMOVED. Enrolled
   * in one call they share created_at, so the list order is by id: `ordered` keeps the list's order.
   */
  async function campaignWithStatuses(w: World): Promise<{ campaignId: string; byStatus: Record<string, string[]>; ordered: (...statuses: string[]) => string[] }> {
    const { createCampaign } = await t.ok(
      CreateCampaignDocument,
      { input: { shopId: w.shop[0], name: `Filtered ${++counter}`, objective: 'SALES', startDate: '2026-02-01', commissionRateBps: 800 } },
      w.token,
    );
    const creators: string[] = [];
    for (let i = 0; i < 6; i++) {
      creators.push((await t.ok(CreateCreatorDocument, { input: { handle: `filtered_${++counter}`, followerCount: i } }, w.token)).createCreator.id);
    }
    const { enrollCreators } = await t.ok(EnrollCreatorsDocument, { campaignId: createCampaign.id, creators: creators.map((creatorId) => ({ creatorId })) }, w.token);
    const ids = enrollCreators.map((e) => e.id);
    const moves: Array<[number, 'ACCEPTED' | 'DECLINED' | 'REMOVED']> = [
      [2, 'ACCEPTED'],
      [3, 'ACCEPTED'],
      [4, 'DECLINED'],
      [5, 'REMOVED'],
    ];
    for (const [i, status] of moves) await t.ok(EnrollmentsTestSetStatusDocument, { id: ids[i], status }, w.token);
    const byStatus: Record<string, string[]> = { INVITED: ids.slice(0, 2), ACCEPTED: ids.slice(2, 4), DECLINED: [ids[4]], REMOVED: [ids[5]] };
    const listed = (await t.ok(LookupsTestCampaignEnrollmentsDocument, { id: createCampaign.id, first: 100 }, w.token)).campaign!.enrollments.edges.map((e) => e.node.id);
    expect([...listed].sort()).toEqual([...ids].sort());
    const ordered = (...statuses: string[]) => listed.filter((id) => statuses.some((s) => byStatus[s].includes(id)));
    return { campaignId: createCampaign.id, byStatus, ordered };
  }

  it('keeps the enrollments in any of the given states; totalCount counts only those', async () => {
    const { campaignId, byStatus, ordered } = await campaignWithStatuses(a);
    const page = async (status: Array<'INVITED' | 'ACCEPTED' | 'DECLINED' | 'REMOVED'> | null) =>
      (await t.ok(LookupsTestCampaignEnrollmentsDocument, { id: campaignId, first: 100, filter: status ? { status } : null }, a.token)).campaign!.enrollments;

    const open = await page(['INVITED', 'ACCEPTED']);
    expect(open.totalCount).toBe(4);
    expect(open.edges.map((e) => e.node.id)).toEqual(ordered('INVITED', 'ACCEPTED'));
    expect((await page(['REMOVED'])).edges.map((e) => e.node.id)).toEqual(byStatus.REMOVED);
    expect((await page(null)).totalCount).toBe(6);
    // An empty list filters nothing, like the other status filters of the API.
    expect((await page([])).totalCount).toBe(6);
  });

  it('pages within the filter with first/after', async () => {
    const { campaignId, ordered } = await campaignWithStatuses(a);
    const filter = { status: ['ACCEPTED', 'INVITED'] as Array<'ACCEPTED' | 'INVITED'> };
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const data: LookupsTestCampaignEnrollmentsQuery = await t.ok(LookupsTestCampaignEnrollmentsDocument, { id: campaignId, first: 3, after, filter }, a.token);
      const page = data.campaign!.enrollments;
      expect(page.totalCount).toBe(4);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(ordered('INVITED', 'ACCEPTED'));
  });

  it('serves differently filtered aliases of the field separately, each batched over every campaign', async () => {
    const first = await campaignWithStatuses(b);
    const second = await campaignWithStatuses(b);
    const vars = { open: { status: ['INVITED' as const, 'ACCEPTED' as const] }, closed: { status: ['DECLINED' as const, 'REMOVED' as const] } };

    t.sql.reset();
    const data = await t.ok(LookupsTestCampaignsTwoFiltersDocument, vars, b.token);
    const statements = t.sql.count;
    const byId = new Map(data.campaigns.edges.map((e) => [e.node.id, e.node]));
    for (const c of [first, second]) {
      const node = byId.get(c.campaignId)!;
      expect(node.open.edges.map((e) => e.node.id)).toEqual(c.ordered('INVITED', 'ACCEPTED'));
      expect(node.closed.edges.map((e) => e.node.id)).toEqual(c.ordered('DECLINED', 'REMOVED'));
      expect([node.open.totalCount, node.closed.totalCount, node.all.totalCount]).toEqual([4, 2, 6]);
      for (const e of [...node.open.edges, ...node.closed.edges]) expect(e.node.campaign.id).toBe(c.campaignId);
    }
    // The same filter in another order is the same loader; more campaigns, same statements.
    await campaignWithStatuses(b);
    t.sql.reset();
    await t.ok(LookupsTestCampaignsTwoFiltersDocument, { open: { status: ['ACCEPTED', 'INVITED'] }, closed: vars.closed }, b.token);
    expect(t.sql.count).toBe(statements);
  });

  it('refuses a status that is not an EnrollmentStatus', async () => {
    const res = await t.gql(LookupsTestCampaignEnrollmentsDocument, { id: a.campaign[0], filter: { status: ['NOPE' as never] } }, a.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('orderBy on clients and campaigns', () => {
  type ClientPage = LookupsTestClientsQuery['clients'];
  type CampaignPage = LookupsTestCampaignsQuery['campaigns'];
  let w: TestAgency;
  const clientNames = ['beta', 'Alpha', 'delta', 'Charlie', 'alpha', 'echo', 'Bravo'];

  const clients = async (vars: LookupsTestClientsQueryVariables): Promise<ClientPage> => (await t.ok(LookupsTestClientsDocument, vars, w.token)).clients;
  const campaigns = async (vars: LookupsTestCampaignsQueryVariables): Promise<CampaignPage> =>
    (await t.ok(LookupsTestCampaignsDocument, vars, w.token)).campaigns;

  /** Every row, walking pages of `size` forward with first/after, checking pageInfo on the way. */
  async function forward<P extends { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor?: string | null } }>(
    fetch: (page: { first: number; after?: string | null }) => Promise<P>,
    size: number,
  ): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null | undefined = null;
    for (let i = 0; i < 50; i++) {
      const page: P = await fetch({ first: size, after });
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
    throw new Error('did not reach the last page');
  }

  /** Every row, walking pages of `size` backward from the end with last/before; returned in list order. */
  async function backward<P extends { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null } }>(
    fetch: (page: { last: number; before?: string | null }) => Promise<P>,
    size: number,
  ): Promise<string[]> {
    let ids: string[] = [];
    let before: string | null | undefined = null;
    for (let i = 0; i < 50; i++) {
      const page: P = await fetch({ last: size, before });
      expect(page.pageInfo.hasNextPage).toBe(before !== null);
      ids = [...page.edges.map((e) => e.node.id), ...ids];
      if (!page.pageInfo.hasPreviousPage) return ids;
      before = page.pageInfo.startCursor;
    }
    throw new Error('did not reach the first page');
  }

  beforeAll(async () => {
    w = await t.createAgency('Ordering Agency');
    for (const name of clientNames) await t.ok(CreateClientDocument, { input: { name } }, w.token);
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: 'Shop Owner' } }, w.token);
    const { createShop } = await t.ok(
      CreateShopDocument,
      { input: { clientId: createClient.id, name: 'Ordering Shop', externalId: `ext-${randomUUID()}`, region: 'US', currency: 'USD', timeZone: 'UTC' } },
      w.token,
    );
    const campaignsToMake: Array<[string, string]> = [
      ['summer', '2026-06-01'],
      ['Autumn', '2026-09-01'],
      ['spring', '2026-03-01'],
      ['Winter', '2026-01-01'],
      ['launch', '2026-03-01'],
      ['Flash', '2026-06-01'],
      ['archive', '2025-12-01'],
    ];
    for (const [name, startDate] of campaignsToMake) {
      await t.ok(CreateCampaignDocument, { input: { shopId: createShop.id, name, objective: 'SALES', startDate, commissionRateBps: 500 } }, w.token);
    }
  }, 60_000);

  it('orders clients by name case-insensitively, ties by id, DESC the exact reverse of ASC', async () => {
    const asc = (await clients({ first: 100, orderBy: { field: 'NAME', direction: 'ASC' } })).edges.map((e) => e.node);
    expect(asc.map((c) => c.name.toLowerCase())).toEqual(['alpha', 'alpha', 'beta', 'bravo', 'charlie', 'delta', 'echo', 'shop owner']);
    const [x, y] = asc;
    expect(parseId(x.id) < parseId(y.id)).toBe(true);
    const desc = (await clients({ first: 100, orderBy: { field: 'NAME', direction: 'DESC' } })).edges.map((e) => e.node.id);
    expect(desc).toEqual(asc.map((c) => c.id).reverse());
  });

  it('orders clients by creation, ASC the default order and DESC its reverse', async () => {
    const byDefault = (await clients({ first: 100 })).edges.map((e) => e.node.id);
    expect((await clients({ first: 100, orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).edges.map((e) => e.node.id)).toEqual(byDefault);
    expect((await clients({ first: 100, orderBy: { field: 'CREATED_AT', direction: 'DESC' } })).edges.map((e) => e.node.id)).toEqual([...byDefault].reverse());
  });

  it.each([
    ['NAME', 'ASC'],
    ['NAME', 'DESC'],
    ['CREATED_AT', 'DESC'],
  ] as Array<[ClientOrder['field'], ClientOrder['direction']]>)('pages clients by %s %s both ways, each client exactly once', async (field, direction) => {
    const orderBy = { field, direction };
    const all = (await clients({ first: 100, orderBy })).edges.map((e) => e.node.id);
    expect(all).toHaveLength(clientNames.length + 1);
    for (const size of [1, 2, 3]) {
      expect(await forward((p) => clients({ ...p, orderBy }), size)).toEqual(all);
      expect(await backward((p) => clients({ ...p, orderBy }), size)).toEqual(all);
    }
  });

  it('combines orderBy with a filter; totalCount counts the matches', async () => {
    const page = await clients({ first: 2, filter: { search: 'a' }, orderBy: { field: 'NAME', direction: 'DESC' } });
    // Names with an "a": beta, Alpha, delta, Charlie, alpha, Bravo.
    expect(page.totalCount).toBe(6);
    expect(page.edges.map((e) => e.node.name)).toEqual(['delta', 'Charlie']);
  });

  it('orders campaigns by start date (ties by id), name and creation', async () => {
    const asc = (await campaigns({ first: 100, orderBy: { field: 'START_DATE', direction: 'ASC' } })).edges.map((e) => e.node);
    expect(asc.map((c) => c.startDate)).toEqual(['2025-12-01', '2026-01-01', '2026-03-01', '2026-03-01', '2026-06-01', '2026-06-01', '2026-09-01']);
    const desc = (await campaigns({ first: 100, orderBy: { field: 'START_DATE', direction: 'DESC' } })).edges.map((e) => e.node.id);
    expect(desc).toEqual(asc.map((c) => c.id).reverse());

    const byName = (await campaigns({ first: 100, orderBy: { field: 'NAME', direction: 'ASC' } })).edges.map((e) => e.node.name);
    expect(byName).toEqual(['archive', 'Autumn', 'Flash', 'launch', 'spring', 'summer', 'Winter']);
    const byDefault = (await campaigns({ first: 100 })).edges.map((e) => e.node.id);
    expect((await campaigns({ first: 100, orderBy: { field: 'CREATED_AT', direction: 'DESC' } })).edges.map((e) => e.node.id)).toEqual([...byDefault].reverse());
  });

  it.each([
    ['START_DATE', 'ASC'],
    ['START_DATE', 'DESC'],
    ['NAME', 'DESC'],
    ['CREATED_AT', 'ASC'],
  ] as Array<[CampaignOrder['field'], CampaignOrder['direction']]>)('pages campaigns by %s %s both ways, each campaign exactly once', async (field, direction) => {
    const orderBy = { field, direction };
    const all = (await campaigns({ first: 100, orderBy })).edges.map((e) => e.node.id);
    expect(all).toHaveLength(7);
    for (const size of [1, 2, 4]) {
      expect(await forward((p) => campaigns({ ...p, orderBy }), size)).toEqual(all);
      expect(await backward((p) => campaigns({ ...p, orderBy }), size)).toEqual(all);
    }
  });

  it('refuses a cursor of one ordering used with another as BAD_USER_INPUT on after/before', async () => {
    const byName = await clients({ first: 2, orderBy: { field: 'NAME', direction: 'ASC' } });
    const cursor = byName.pageInfo.endCursor!;
    expectError(await t.gql(LookupsTestClientsDocument, { first: 2, after: cursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } }, w.token), 'BAD_USER_INPUT', ['after']);
    expectError(await t.gql(LookupsTestClientsDocument, { first: 2, after: cursor, orderBy: { field: 'NAME', direction: 'DESC' } }, w.token), 'BAD_USER_INPUT', ['after']);
    expectError(await t.gql(LookupsTestClientsDocument, { last: 2, before: cursor }, w.token), 'BAD_USER_INPUT', ['before']);

    const byStart = await campaigns({ first: 2, orderBy: { field: 'START_DATE', direction: 'ASC' } });
    expectError(
      await t.gql(LookupsTestCampaignsDocument, { first: 2, after: byStart.pageInfo.endCursor, orderBy: { field: 'NAME', direction: 'ASC' } }, w.token),
      'BAD_USER_INPUT',
      ['after'],
    );
    // The default order is CREATED_AT ASC: its cursors serve both spellings of it.
    const plain = await campaigns({ first: 2 });
    const next = await campaigns({ first: 2, after: plain.pageInfo.endCursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(next.edges).toHaveLength(2);
  });

  it('refuses a forged start-date cursor before it reaches SQL', async () => {
    const forged = Buffer.from(JSON.stringify({ k: 'start_date:ASC,id:ASC', v: ['not-a-date', randomUUID()] })).toString('base64url');
    expectError(await t.gql(LookupsTestCampaignsDocument, { first: 2, after: forged, orderBy: { field: 'START_DATE', direction: 'ASC' } }, w.token), 'BAD_USER_INPUT', ['after']);
    const good = Buffer.from(JSON.stringify({ k: 'start_date:ASC,id:ASC', v: ['2026-03-01', randomUUID()] })).toString('base64url');
    expect((await t.gql(LookupsTestCampaignsDocument, { first: 2, after: good, orderBy: { field: 'START_DATE', direction: 'ASC' } }, w.token)).errors).toBeUndefined();
  });

  it('refuses an unknown order field', async () => {
    const res = await t.gql(LookupsTestClientsDocument, { first: 2, orderBy: { field: 'START_DATE' as never, direction: 'ASC' } }, w.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

/** The uuid inside a global id, to compare ids the way the database breaks ties. */
function parseId(id: string): string {
  return Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
}

import {
  CampaignEnrollmentsDocument,
  ClientsDocument,
  ClientsQuery,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  CreatorOrder,
  CreatorsDocument,
  CreatorsQuery,
  EnrollCreatorsDocument,
  PaginationTestClientShopsDocument,
  PaginationTestClientsWithShopsDocument,
  ShopProductsDocument,
  UpsertProductsDocument,
} from './generated/graphql';
import { codes, GqlResult, startTestServer, TestServer } from './support/server';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

// ---------------------------------------------------------------- helpers

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 7)}`;
/** Creator handles allow only letters, digits, '_' and '.' (2 to 24). */
const uniqueHandle = () => `c_${++seq}_${Math.random().toString(36).slice(2, 8)}`;

/** A fresh agency, so a test's lists hold exactly the rows it creates. */
async function freshAgency(): Promise<string> {
  return (await t.createAgency(unique('Paging Agency'))).token;
}

/** Creates clients one after another; returns their ids in creation order. */
async function createClients(token: string, n: number, status?: 'ACTIVE' | 'PAUSED'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { createClient } = await t.ok(CreateClientDocument, { input: { name: unique('Client'), status } }, token);
    ids.push(createClient.id);
  }
  return ids;
}

async function createCreators(token: string, followerCounts: number[]): Promise<Array<{ id: string; handle: string }>> {
  const out: Array<{ id: string; handle: string }> = [];
  for (const followerCount of followerCounts) {
    const { createCreator } = await t.ok(CreateCreatorDocument, { input: { handle: uniqueHandle(), followerCount } }, token);
    out.push({ id: createCreator.id, handle: createCreator.handle });
  }
  return out;
}

async function createShop(token: string, clientId: string): Promise<string> {
  const { createShop } = await t.ok(
    CreateShopDocument,
    { input: { clientId, name: unique('Shop'), externalId: unique('ext'), region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
    token,
  );
  return createShop.id;
}

type ClientsVars = { first?: number; after?: string; last?: number; before?: string };
type Page = ClientsQuery['clients'];

const clientsPage = async (token: string, vars: ClientsVars): Promise<Page> => (await t.ok(ClientsDocument, vars, token)).clients;
const ids = (page: { edges: Array<{ node: { id: string } }> }) => page.edges.map((e) => e.node.id);

/** The whole list in one page: the order every walk must reproduce. */
async function allClients(token: string): Promise<Page> {
  return clientsPage(token, { first: 100 });
}

/** startCursor/endCursor are the cursors of the page's first and last edges. */
function expectCursorsMatchEdges(page: { edges: Array<{ cursor: string }>; pageInfo: { startCursor: string | null; endCursor: string | null } }) {
  expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
  expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
}

function fieldKeys(result: GqlResult<unknown>): string[] {
  return Object.keys(result.errors?.[0]?.extensions?.fields ?? {});
}

function expectBadInput(result: GqlResult<unknown>, fields: string[]) {
  expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  expect(fieldKeys(result)).toEqual(fields);
}

// ---------------------------------------------------------------- root connections

describe('forward paging with first/after', () => {
  it('visits every client exactly once, oldest first, with the right pageInfo on each page', async () => {
    const token = await freshAgency();
    const created = await createClients(token, 7);

    const all = await allClients(token);
    expect(all.totalCount).toBe(7);
    expect(new Set(ids(all))).toEqual(new Set(created));
    const times = all.edges.map((e) => Date.parse(e.node.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const p1 = await clientsPage(token, { first: 3 });
    expect(ids(p1)).toEqual(ids(all).slice(0, 3));
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expectCursorsMatchEdges(p1);

    const p2 = await clientsPage(token, { first: 3, after: p1.pageInfo.endCursor! });
    expect(ids(p2)).toEqual(ids(all).slice(3, 6));
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expectCursorsMatchEdges(p2);

    const p3 = await clientsPage(token, { first: 3, after: p2.pageInfo.endCursor! });
    expect(ids(p3)).toEqual(ids(all).slice(6));
    expect(p3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expectCursorsMatchEdges(p3);

    expect([...ids(p1), ...ids(p2), ...ids(p3)]).toEqual(ids(all));
  });

  it('says hasNextPage false on a last page that is exactly full', async () => {
    const token = await freshAgency();
    await createClients(token, 4);
    const p1 = await clientsPage(token, { first: 2 });
    const p2 = await clientsPage(token, { first: 2, after: p1.pageInfo.endCursor! });
    expect(p2.edges).toHaveLength(2);
    expect(p2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const beyond = await clientsPage(token, { first: 2, after: p2.pageInfo.endCursor! });
    expect(beyond.edges).toEqual([]);
    expect(beyond.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('returns an empty page with null cursors when there is nothing to list', async () => {
    const token = await freshAgency();
    const page = await clientsPage(token, { first: 5 });
    expect(page.totalCount).toBe(0);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('pages creators ordered by follower count, ties broken consistently', async () => {
    const token = await freshAgency();
    const created = await createCreators(token, [500, 100, 500, 900, 100, 500, 0]);
    const orderBy: CreatorOrder = { field: 'FOLLOWER_COUNT', direction: 'DESC' };

    const all = (await t.ok(CreatorsDocument, { first: 100, orderBy }, token)).creators;
    const counts = all.edges.map((e) => e.node.followerCount);
    expect(counts).toEqual([900, 500, 500, 500, 100, 100, 0]);

    const walked: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page: CreatorsQuery['creators'] = (await t.ok(CreatorsDocument, { first: 2, after, orderBy }, token)).creators;
      pages++;
      walked.push(...ids(page));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      expectCursorsMatchEdges(page);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toBe(4);
    expect(walked).toEqual(ids(all));
    expect(new Set(walked)).toEqual(new Set(created.map((c) => c.id)));
  });
});

describe('backward paging with last/before', () => {
  it('visits every client exactly once, newest page first, with the right pageInfo on each page', async () => {
    const token = await freshAgency();
    await createClients(token, 7);
    const all = ids(await allClients(token));

    const p1 = await clientsPage(token, { last: 3 });
    expect(ids(p1)).toEqual(all.slice(4, 7));
    expect(p1.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expectCursorsMatchEdges(p1);

    const p2 = await clientsPage(token, { last: 3, before: p1.pageInfo.startCursor! });
    expect(ids(p2)).toEqual(all.slice(1, 4));
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expectCursorsMatchEdges(p2);

    const p3 = await clientsPage(token, { last: 3, before: p2.pageInfo.startCursor! });
    expect(ids(p3)).toEqual(all.slice(0, 1));
    expect(p3.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expectCursorsMatchEdges(p3);

    expect([...ids(p3), ...ids(p2), ...ids(p1)]).toEqual(all);
  });

  it('pages creators backward by handle', async () => {
    const token = await freshAgency();
    await createCreators(token, [1, 2, 3, 4, 5]);
    const orderBy: CreatorOrder = { field: 'HANDLE', direction: 'ASC' };
    const all = (await t.ok(CreatorsDocument, { first: 100, orderBy }, token)).creators;
    const handles = all.edges.map((e) => e.node.handle);
    expect(handles).toEqual([...handles].sort());

    const p1 = (await t.ok(CreatorsDocument, { last: 2, orderBy }, token)).creators;
    const p2 = (await t.ok(CreatorsDocument, { last: 2, before: p1.pageInfo.startCursor!, orderBy }, token)).creators;
    const p3 = (await t.ok(CreatorsDocument, { last: 2, before: p2.pageInfo.startCursor!, orderBy }, token)).creators;
    expect([...ids(p3), ...ids(p2), ...ids(p1)]).toEqual(ids(all));
    expect(p1.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(p3.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(p3.edges).toHaveLength(1);
  });
});

describe('stability when rows are added between pages', () => {
  it('neither skips nor repeats a row going forward; new rows come last', async () => {
    const token = await freshAgency();
    await createClients(token, 6);
    const before = ids(await allClients(token));

    const p1 = await clientsPage(token, { first: 3 });
    const added = await createClients(token, 2);
    const p2 = await clientsPage(token, { first: 3, after: p1.pageInfo.endCursor! });
    const p3 = await clientsPage(token, { first: 3, after: p2.pageInfo.endCursor! });

    expect(ids(p1)).toEqual(before.slice(0, 3));
    expect(ids(p2)).toEqual(before.slice(3, 6));
    expect(ids(p3)).toEqual(added);
    expect(p3.pageInfo.hasNextPage).toBe(false);
    expect(p3.totalCount).toBe(8);
  });

  it('does not shift the earlier pages going backward', async () => {
    const token = await freshAgency();
    await createClients(token, 6);
    const before = ids(await allClients(token));

    const p1 = await clientsPage(token, { last: 3 });
    await createClients(token, 2);
    const p2 = await clientsPage(token, { last: 3, before: p1.pageInfo.startCursor! });

    expect(ids(p1)).toEqual(before.slice(3, 6));
    expect(ids(p2)).toEqual(before.slice(0, 3));
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });
});

describe('totalCount', () => {
  it('counts every matching row, whichever page is asked for', async () => {
    const token = await freshAgency();
    await createClients(token, 3, 'ACTIVE');
    await createClients(token, 2, 'PAUSED');

    const p1 = await clientsPage(token, { first: 2 });
    const p2 = await clientsPage(token, { first: 2, after: p1.pageInfo.endCursor! });
    const backward = await clientsPage(token, { last: 1 });
    expect([p1.totalCount, p2.totalCount, backward.totalCount]).toEqual([5, 5, 5]);

    const active = (await t.ok(ClientsDocument, { first: 1, filter: { status: ['ACTIVE'] } }, token)).clients;
    expect(active.totalCount).toBe(3);
    expect(active.edges.map((e) => e.node.status)).toEqual(['ACTIVE']);
    const activeNext = (await t.ok(ClientsDocument, { first: 1, after: active.pageInfo.endCursor!, filter: { status: ['ACTIVE'] } }, token)).clients;
    expect(activeNext.totalCount).toBe(3);
  });

  it('is right with first: 0, which returns no edges', async () => {
    const token = await freshAgency();
    await createClients(token, 3);
    const page = await clientsPage(token, { first: 0 });
    expect(page.edges).toEqual([]);
    expect(page.totalCount).toBe(3);
    expect(page.pageInfo.startCursor).toBeNull();
    expect(page.pageInfo.endCursor).toBeNull();
  });
});

describe('page size and cursor validation', () => {
  let token: string;
  beforeAll(async () => {
    token = await freshAgency();
    await createClients(token, 2);
    await createCreators(token, [10, 20]);
  });

  it('accepts first: 100 and refuses first or last above 100', async () => {
    expect((await t.gql(ClientsDocument, { first: 100 }, token)).errors).toBeUndefined();
    expectBadInput(await t.gql(ClientsDocument, { first: 101 }, token), ['first']);
    expectBadInput(await t.gql(ClientsDocument, { last: 101 }, token), ['last']);
    expectBadInput(await t.gql(CreatorsDocument, { first: 1000 }, token), ['first']);
  });

  it('refuses a negative first or last', async () => {
    const negativeFirst = await t.gql(ClientsDocument, { first: -1 }, token);
    expectBadInput(negativeFirst, ['first']);
    // Refused before execution (page sizes are checked with the query limits): no data, HTTP 400.
    expect(negativeFirst.data ?? null).toBeNull();
    expect(negativeFirst.status).toBe(400);
    expectBadInput(await t.gql(CreatorsDocument, { last: -5 }, token), ['last']);
  });

  it('refuses first and last together', async () => {
    const res = await t.gql(ClientsDocument, { first: 1, last: 1 }, token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldKeys(res)).toHaveLength(1);
    expect(['first', 'last']).toContain(fieldKeys(res)[0]);
  });

  it('refuses a cursor it did not issue', async () => {
    expectBadInput(await t.gql(ClientsDocument, { first: 1, after: 'garbage' }, token), ['after']);
    expectBadInput(await t.gql(ClientsDocument, { first: 1, after: '' + Buffer.from('{"a":1}').toString('base64url') }, token), ['after']);
    expectBadInput(await t.gql(ClientsDocument, { last: 1, before: 'not-a-cursor!' }, token), ['before']);
  });

  it('refuses a forged cursor of the right shape whose values are not keys', async () => {
    const { clients } = await t.ok(ClientsDocument, { first: 1 }, token);
    const real = JSON.parse(Buffer.from(clients.pageInfo.endCursor!, 'base64url').toString('utf8')) as { k: string; v: unknown[] };
    const forged = Buffer.from(JSON.stringify({ k: real.k, v: ['not-a-date', 'not-a-uuid'] })).toString('base64url');
    expectBadInput(await t.gql(ClientsDocument, { first: 1, after: forged }, token), ['after']);
  });

  it('refuses a cursor issued for a different ordering', async () => {
    const byHandle = (await t.ok(CreatorsDocument, { first: 1, orderBy: { field: 'HANDLE', direction: 'ASC' } }, token)).creators;
    const cursor = byHandle.pageInfo.endCursor!;
    expectBadInput(await t.gql(CreatorsDocument, { first: 1, after: cursor, orderBy: { field: 'FOLLOWER_COUNT', direction: 'ASC' } }, token), [
      'after',
    ]);
    expectBadInput(await t.gql(CreatorsDocument, { first: 1, after: cursor, orderBy: { field: 'HANDLE', direction: 'DESC' } }, token), ['after']);
    // The same ordering still accepts it.
    expect((await t.gql(CreatorsDocument, { first: 1, after: cursor, orderBy: { field: 'HANDLE', direction: 'ASC' } }, token)).errors).toBeUndefined();
  });

  it('applies the same limits to nested connections', async () => {
    const [clientId] = await createClients(token, 1);
    expectBadInput(await t.gql(PaginationTestClientShopsDocument, { id: clientId, first: 101 }, token), ['first']);
    expectBadInput(await t.gql(PaginationTestClientShopsDocument, { id: clientId, first: -1 }, token), ['first']);
    expectBadInput(await t.gql(PaginationTestClientShopsDocument, { id: clientId, first: 1, after: 'garbage' }, token), ['after']);
  });
});

// ---------------------------------------------------------------- nested connections

describe('nested connections', () => {
  it('page each parent on its own: shops(first: 1) gives every client its own first shop', async () => {
    const token = await freshAgency();
    const [a, b, c] = await createClients(token, 3);
    const aShops = [await createShop(token, a), await createShop(token, a), await createShop(token, a)];
    const bShops = [await createShop(token, b)];

    const { clients } = await t.ok(PaginationTestClientsWithShopsDocument, { shopsFirst: 1 }, token);
    const byClient = new Map(clients.edges.map((e) => [e.node.id, e.node.shops]));
    expect([...byClient.keys()]).toEqual([a, b, c]);

    const sa = byClient.get(a)!;
    expect(ids(sa)).toEqual([aShops[0]]);
    expect(sa.totalCount).toBe(3);
    expect(sa.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expectCursorsMatchEdges(sa);

    const sb = byClient.get(b)!;
    expect(ids(sb)).toEqual(bShops);
    expect(sb.totalCount).toBe(1);
    expect(sb.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });

    const sc = byClient.get(c)!;
    expect(sc.edges).toEqual([]);
    expect(sc.totalCount).toBe(0);
    expect(sc.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('walk one client\'s shops with a nested after cursor', async () => {
    const token = await freshAgency();
    const [a, b] = await createClients(token, 2);
    const aShops: string[] = [];
    for (let i = 0; i < 3; i++) {
      aShops.push(await createShop(token, a));
      await createShop(token, b); // interleaved: another parent's rows must not leak in
    }

    const walked: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 3; i++) {
      const { node } = await t.ok(PaginationTestClientShopsDocument, { id: a, first: 1, after }, token);
      const shops = node && 'shops' in node ? node.shops : undefined;
      expect(shops).toBeDefined();
      expect(shops!.totalCount).toBe(3);
      expect(shops!.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(shops!.pageInfo.hasNextPage).toBe(i < 2);
      walked.push(...ids(shops!));
      after = shops!.pageInfo.endCursor!;
    }
    expect(walked).toEqual(aShops);
  });

  it('walk a shop\'s products with first/after', async () => {
    const token = await freshAgency();
    const [clientId] = await createClients(token, 1);
    const shopId = await createShop(token, clientId);
    const products = Array.from({ length: 5 }, (_, i) => ({ sku: `SKU-${i}`, title: `Product ${i}`, price: { amountMinor: 100 * (i + 1), currency: 'USD' } }));
    const { upsertProducts } = await t.ok(UpsertProductsDocument, { shopId, products }, token);

    const productsPage = async (first: number, after?: string) => {
      const { node } = await t.ok(ShopProductsDocument, { id: shopId, first, after }, token);
      if (!node || !('products' in node)) throw new Error('shop not found');
      return node.products;
    };
    const all = await productsPage(100);
    expect(new Set(ids(all))).toEqual(new Set(upsertProducts.map((p) => p.id)));

    const p1 = await productsPage(2);
    const p2 = await productsPage(2, p1.pageInfo.endCursor!);
    const p3 = await productsPage(2, p2.pageInfo.endCursor!);
    expect([...ids(p1), ...ids(p2), ...ids(p3)]).toEqual(ids(all));
    expect([p1, p2, p3].map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect([p1, p2, p3].map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    expect([p1, p2, p3].map((p) => p.totalCount)).toEqual([5, 5, 5]);
  });

  it('walk a campaign\'s enrollments with first/after', async () => {
    const token = await freshAgency();
    const [clientId] = await createClients(token, 1);
    const shopId = await createShop(token, clientId);
    const { createCampaign } = await t.ok(
      CreateCampaignDocument,
      { input: { shopId, name: 'Spring', objective: 'SALES', startDate: '2030-03-01', commissionRateBps: 1000 } },
      token,
    );
    const creators = await createCreators(token, [1, 2, 3, 4, 5]);
    const { enrollCreators } = await t.ok(
      EnrollCreatorsDocument,
      { campaignId: createCampaign.id, creators: creators.map((c) => ({ creatorId: c.id })) },
      token,
    );

    const enrollmentsPage = async (first: number, after?: string) => {
      const { node } = await t.ok(CampaignEnrollmentsDocument, { id: createCampaign.id, first, after }, token);
      if (!node || !('enrollments' in node)) throw new Error('campaign not found');
      return node.enrollments;
    };
    const all = await enrollmentsPage(100);
    expect(all.totalCount).toBe(5);
    expect(new Set(ids(all))).toEqual(new Set(enrollCreators.map((e) => e.id)));

    const walked: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await enrollmentsPage(2, after);
      pages++;
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      walked.push(...ids(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toBe(3);
    expect(walked).toEqual(ids(all));
  });
});

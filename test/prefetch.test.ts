import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * A page of enrollments whose query asks for `creator` loads the creators with the page
 * (withPrefetch): the same statements as loading them field by field, the same answer, through
 * fragments too, and nothing extra when creator is not asked for.
 */
let t: TestServer;
let acme: TestAgency;
let campaignIds: string[];
let shopId: string;

async function ok<R>(query: string, token = acme.token): Promise<R> {
  const res = await t.gql<R, object>(query, {}, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
  const { createClient } = await ok<{ createClient: { id: string } }>(`mutation { createClient(input: { name: "Prefetch Co" }) { id } }`);
  const { createShop } = await ok<{ createShop: { id: string } }>(
    `mutation { createShop(input: { clientId: "${createClient.id}", name: "P shop", externalId: "p-1", region: "US", currency: "USD", timeZone: "UTC" }) { id } }`,
  );
  shopId = createShop.id;
  const products = [0, 1, 2, 3].map((i) => `{ sku: "SKU-${i}", title: "P${i}", price: { amountMinor: ${1000 + i}, currency: "USD" } }`).join(', ');
  await ok(`mutation { upsertProducts(shopId: "${shopId}", products: [${products}]) { id } }`);
  const creators: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { createCreator } = await ok<{ createCreator: { id: string } }>(`mutation { createCreator(input: { handle: "pf${i}", followerCount: ${100 + i} }) { id } }`);
    creators.push(createCreator.id);
  }
  campaignIds = [];
  for (let c = 0; c < 2; c++) {
    const { createCampaign } = await ok<{ createCampaign: { id: string } }>(
      `mutation { createCampaign(input: { shopId: "${createShop.id}", name: "PF ${c}", objective: SALES, startDate: "2026-01-01", commissionRateBps: 1000 }) { id } }`,
    );
    campaignIds.push(createCampaign.id);
    // Campaign 0 enrolls creators 0-2, campaign 1 creators 1-3: creators 1 and 2 are shared.
    const enroll = creators.slice(c, c + 3).map((id) => `{ creatorId: "${id}" }`).join(', ');
    await ok(`mutation { enrollCreators(campaignId: "${createCampaign.id}", creators: [${enroll}]) { id } }`);
  }
});
afterAll(() => t.stop());

type Tree = { campaigns: { edges: Array<{ node: { name: string; enrollments: { edges: Array<{ node: { status: string; creator?: { handle: string } } }> } } }> } };

async function run(query: string): Promise<{ data: Tree; statements: string[] }> {
  t.sql.reset();
  const data = await ok<Tree>(query);
  return { data, statements: t.sql.work };
}

// Enrolled in one statement: the same created_at, so the page order among them is by id; compare as sets.
const handles = (data: Tree) => data.campaigns.edges.map((c) => c.node.enrollments.edges.map((e) => e.node.creator?.handle).sort());

it('loads the creators with the page: one creators statement, the right creator on every enrollment', async () => {
  const { data, statements } = await run(
    '{ campaigns(first: 10) { edges { node { name enrollments(first: 10) { edges { node { status creator { handle } } } } } } } }',
  );
  expect(handles(data)).toEqual([
    ['pf0', 'pf1', 'pf2'],
    ['pf1', 'pf2', 'pf3'],
  ]);
  expect(statements.filter((s) => /FROM "creators"/.test(s))).toHaveLength(1);

  // Without creator: no creators statement, one statement fewer.
  const bare = await run('{ campaigns(first: 10) { edges { node { name enrollments(first: 10) { edges { node { status } } } } } } }');
  expect(bare.statements.filter((s) => /FROM "creators"/.test(s))).toHaveLength(0);
  expect(bare.statements.length).toBe(statements.length - 1);
});

it('sees creator through fragments and aliases the same way', async () => {
  const plain = await run('{ campaigns(first: 10) { edges { node { name enrollments(first: 10) { edges { node { status creator { handle } } } } } } } }');
  const viaFragments = await run(`
    query { campaigns(first: 10) { edges { node { name enrollments(first: 10) { ...Page } } } } }
    fragment Page on CampaignEnrollmentConnection { edges { ... on CampaignEnrollmentEdge { node { ...Row } } } }
    fragment Row on CampaignEnrollment { status creator: creator { handle } }`);
  expect(viaFragments.data).toEqual(plain.data);
  expect(viaFragments.statements.filter((s) => /FROM "creators"/.test(s))).toHaveLength(1);
  expect(viaFragments.statements.length).toBe(plain.statements.length);
});

it('answers a later read after a write with fresh rows (the loaded rows are forgotten)', async () => {
  const res = await t.gql<{ updateCreator: { handle: string }; }, object>(
    `mutation { updateCreator(id: "${(await ok<{ creatorByHandle: { id: string } }>('{ creatorByHandle(handle: "pf1") { id } }')).creatorByHandle.id}", input: { displayName: "Renamed" }) { handle } }`,
    {},
    acme.token,
  );
  expect(res.errors).toBeUndefined();
  const { data } = await run('{ campaigns(first: 1) { edges { node { name enrollments(first: 10) { edges { node { status creator { handle } } } } } } } }');
  expect(handles(data)).toEqual([['pf0', 'pf1', 'pf2']]);
});

describe('shop(id) starts the products page it is asked for with the shop', () => {
  type ShopPage = { shop: { name: string; products: { totalCount?: number; edges: Array<{ node: { sku: string } }> } } | null };

  it('answers from one products statement, with the arguments and columns the field asks for', async () => {
    t.sql.reset();
    const data = await ok<ShopPage>(`{ shop(id: "${shopId}") { name products(first: 3) { edges { node { sku } } } } }`);
    // Upserted in one statement: one created_at, so the page order among them is by id.
    expect(data.shop?.name).toBe('P shop');
    const skus = data.shop!.products.edges.map((e) => e.node.sku);
    expect(new Set(skus).size).toBe(3);
    expect(skus.every((sku) => /^SKU-[0-3]$/.test(sku))).toBe(true);
    const pages = t.sql.work.filter((s) => /FROM "products"/.test(s));
    expect(pages).toHaveLength(1);
    expect(pages[0]).not.toMatch(/"unit_cost_minor"/);
  });

  it('pages on with a cursor and counts, through a variable too', async () => {
    const first = await ok<{ shop: { products: { pageInfo: { endCursor: string }; edges: Array<{ node: { sku: string } }> } } }>(
      `{ shop(id: "${shopId}") { products(first: 2) { pageInfo { endCursor } edges { node { sku } } } } }`,
    );
    const res = await t.gql<ShopPage, { after: string }>(
      `query ($after: String) { shop(id: "${shopId}") { products(first: 5, after: $after) { totalCount edges { node { sku } } } } }`,
      { after: first.shop.products.pageInfo.endCursor },
      acme.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.shop!.products.totalCount).toBe(4);
    const all = [...first.shop.products.edges, ...res.data!.shop!.products.edges].map((e) => e.node.sku).sort();
    expect(all).toEqual(['SKU-0', 'SKU-1', 'SKU-2', 'SKU-3']);
  });

  it('shows another agency nothing: null, and no products', async () => {
    const rival = await t.createAgency();
    const res = await t.gql<ShopPage, object>(`{ shop(id: "${shopId}") { name products(first: 3) { edges { node { sku } } } } }`, {}, rival.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.shop).toBeNull();
  });

  it('refuses a bad page size on the field as before', async () => {
    const res = await t.gql(`{ shop(id: "${shopId}") { products(first: 1000) { edges { node { sku } } } } }`, {}, acme.token);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

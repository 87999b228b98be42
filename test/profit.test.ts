import { gid, LedgerFixture, signedInMember } from './support/ledger';
import { buildSalesFixture, SalesFixture } from './support/sales-fixture';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * Profit of a shop, its products, a campaign and a creator, against the hand-computed ledger of
 * test/support/sales-fixture.ts. Net profit = GMV − refunds − COGS − platform fees − affiliate
 * commissions − ad spend − sample cost.
 */

let t: TestServer;
let agency: TestAgency;
let f: SalesFixture;

beforeAll(async () => {
  t = await startTestServer();
  agency = await t.createAgency('Profit Agency');
  f = await buildSalesFixture(t, agency);
});
afterAll(() => t.stop());

const PROFIT = `gmv { amountMinor } refunds { amountMinor } netRevenue { amountMinor } cogs { amountMinor } cogsMissingUnits
  platformFees { amountMinor } affiliateCommissions { amountMinor } adSpend { amountMinor } sampleCost { amountMinor } sampleUnits
  netProfit { amountMinor amount currency } margin`;

interface M {
  amountMinor: number;
  amount?: string;
  currency?: string;
}
interface Profit {
  gmv: M;
  refunds: M;
  netRevenue: M;
  cogs: M;
  cogsMissingUnits: number;
  platformFees: M;
  affiliateCommissions: M;
  adSpend: M;
  sampleCost: M;
  sampleUnits: number;
  netProfit: M;
  margin: number | null;
}

function flat(p: Profit) {
  return {
    gmv: p.gmv.amountMinor,
    refunds: p.refunds.amountMinor,
    netRevenue: p.netRevenue.amountMinor,
    cogs: p.cogs.amountMinor,
    cogsMissingUnits: p.cogsMissingUnits,
    platformFees: p.platformFees.amountMinor,
    affiliateCommissions: p.affiliateCommissions.amountMinor,
    adSpend: p.adSpend.amountMinor,
    sampleCost: p.sampleCost.amountMinor,
    sampleUnits: p.sampleUnits,
    netProfit: p.netProfit.amountMinor,
    margin: p.margin,
  };
}

const RANGE = { from: '2026-03-02', to: '2026-03-15' };

describe('Shop.profit', () => {
  it('subtracts every cost, keeps samples apart from COGS, and reports units without a cost', async () => {
    const data = await t.ok<{ shop: { profit: Profit } }, unknown>(
      `query ($id: ID!, $range: DateRangeInput!) { shop(id: $id) { profit(range: $range) { ${PROFIT} } } }` as never,
      { id: gid('Shop', f.shopA), range: RANGE },
      agency.token,
    );
    // 20002 − 7000 − 1600 − 1800 − 3000 − 2000 = 4602
    expect(flat(data.shop.profit)).toEqual({
      gmv: 23502,
      refunds: 3500,
      netRevenue: 20002,
      cogs: 7000,
      cogsMissingUnits: 2,
      platformFees: 1600,
      affiliateCommissions: 1800,
      adSpend: 3000,
      sampleCost: 2000,
      sampleUnits: 2,
      netProfit: 4602,
      margin: 4602 / 20002,
    });
    expect(data.shop.profit.netProfit).toEqual({ amountMinor: 4602, amount: '46.02', currency: 'USD' });
  });

  it('is all zeros with a null margin over a range without sales', async () => {
    const data = await t.ok<{ shop: { profit: Profit } }, unknown>(
      `query ($id: ID!) { shop(id: $id) { profit(range: { from: "2026-01-01", to: "2026-01-31" }) { ${PROFIT} } } }` as never,
      { id: gid('Shop', f.shopB) },
      agency.token,
    );
    expect(flat(data.shop.profit)).toEqual({
      gmv: 0, refunds: 0, netRevenue: 0, cogs: 0, cogsMissingUnits: 0, platformFees: 0, affiliateCommissions: 0, adSpend: 0,
      sampleCost: 0, sampleUnits: 0, netProfit: 0, margin: null,
    });
    expect(data.shop.profit.netProfit.currency).toBe('EUR');
  });

  it('refuses a reversed range', async () => {
    const result = await t.gql(`query ($id: ID!) { shop(id: $id) { profit(range: { from: "2026-03-02", to: "2026-03-01" }) { margin } } }`, { id: gid('Shop', f.shopA) }, agency.token);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.fields).toHaveProperty(['range.to']);
  });
});

describe('Shop.productProfit', () => {
  const query = `query ($id: ID!, $range: DateRangeInput!, $first: Int, $after: String) { shop(id: $id) {
    productProfit(range: $range, first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { product { sku } units profit { ${PROFIT} } } } } } }`;
  type Page = {
    shop: {
      productProfit: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
        edges: Array<{ node: { product: { sku: string }; units: number; profit: Profit } }>;
      };
    };
  };

  it('lists products by net profit, each with its own costs', async () => {
    const data = await t.ok<Page, unknown>(query as never, { id: gid('Shop', f.shopA), range: RANGE }, agency.token);
    const rows = data.shop.productProfit.edges.map((e) => ({ sku: e.node.product.sku, units: e.node.units, ...flat(e.node.profit) }));
    expect(rows).toEqual([
      // L2 + L7: no unit cost, so no COGS and 2 units reported missing.
      { sku: 'P2', units: 2, gmv: 7002, refunds: 0, netRevenue: 7002, cogs: 0, cogsMissingUnits: 2, platformFees: 560, affiliateCommissions: 1050,
        adSpend: 0, sampleCost: 0, sampleUnits: 0, netProfit: 5392, margin: 5392 / 7002 },
      // L1, L3 (refunded), L4 (partly refunded), L8; L5 cancelled; L6's two sample units at cost.
      { sku: 'P1', units: 7, gmv: 16500, refunds: 3500, netRevenue: 13000, cogs: 7000, cogsMissingUnits: 0, platformFees: 1040, affiliateCommissions: 750,
        adSpend: 0, sampleCost: 2000, sampleUnits: 2, netProfit: 2210, margin: 2210 / 13000 },
    ]);
    expect(data.shop.productProfit.totalCount).toBe(2);
  });

  it('pages forward with cursors', async () => {
    const first = await t.ok<Page, unknown>(query as never, { id: gid('Shop', f.shopA), range: RANGE, first: 1 }, agency.token);
    expect(first.shop.productProfit.edges.map((e) => e.node.product.sku)).toEqual(['P2']);
    expect(first.shop.productProfit.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await t.ok<Page, unknown>(
      query as never,
      { id: gid('Shop', f.shopA), range: RANGE, first: 1, after: first.shop.productProfit.pageInfo.endCursor },
      agency.token,
    );
    expect(second.shop.productProfit.edges.map((e) => e.node.product.sku)).toEqual(['P1']);
    expect(second.shop.productProfit.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const past = await t.ok<Page, unknown>(
      query as never,
      { id: gid('Shop', f.shopA), range: RANGE, first: 1, after: second.shop.productProfit.pageInfo.endCursor },
      agency.token,
    );
    expect(past.shop.productProfit).toMatchObject({ totalCount: 2, edges: [], pageInfo: { hasNextPage: false } });

    const bad = await t.gql(query, { id: gid('Shop', f.shopA), range: RANGE, after: 'nonsense' }, agency.token);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const big = await t.gql(query, { id: gid('Shop', f.shopA), range: RANGE, first: 101 }, agency.token);
    expect(codes(big)).toEqual(['BAD_USER_INPUT']);
  });

  it('runs the same number of statements for 2 and for 5 shops', async () => {
    const counts: number[] = [];
    for (const n of [2, 5]) {
      const a = await t.createAgency(`Product Profit Agency ${n}`);
      const ledger = new LedgerFixture(t, a.agencyId);
      const client = await ledger.client('Client');
      for (let i = 0; i < n; i++) {
        const shop = await ledger.shop(client, 'USD', 'UTC');
        const products = [await ledger.product(shop, `A-${i}`, 1000, 100), await ledger.product(shop, `B-${i}`, 1000, null)];
        await ledger.lines(
          shop,
          products.map((product, j) => ({
            externalId: `${i}${j}00000000000000000`, orderId: `${i}${j}`, product, status: 'DELIVERED' as const, quantity: 1, gmvMinor: 1000, placedAt: '2026-03-03T12:00:00Z',
          })),
        );
      }
      t.sql.reset();
      const result = await t.gql<{ shops: { edges: Array<{ node: { productProfit: { totalCount: number } } }> } }, unknown>(
        `{ shops(first: 10) { edges { node { productProfit(range: { from: "2026-03-01", to: "2026-03-31" }, first: 5) {
            totalCount edges { node { product { sku price { amountMinor } } units profit { netProfit { amountMinor } margin } } } } } } } }`,
        {},
        a.token,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.shops.edges.map((e) => e.node.productProfit.totalCount)).toEqual(Array(n).fill(2));
      expect(t.sql.statements.some((s) => /order_lines/.test(s))).toBe(false);
      counts.push(t.sql.count);
    }
    expect(counts[1]).toBe(counts[0]);
  });
});

describe('Campaign.profit and Creator.profit', () => {
  it("gives a campaign's profit over its dates, with its ad spend", async () => {
    const data = await t.ok<{ campaign: { profit: Profit } }, unknown>(
      `query ($id: ID!) { campaign(id: $id) { profit { ${PROFIT} } } }` as never,
      { id: gid('Campaign', f.c1) },
      agency.token,
    );
    // 12002 − 2000 − 960 − 1800 − 2000 = 5242
    expect(flat(data.campaign.profit)).toEqual({
      gmv: 12002, refunds: 0, netRevenue: 12002, cogs: 2000, cogsMissingUnits: 2, platformFees: 960, affiliateCommissions: 1800, adSpend: 2000,
      sampleCost: 0, sampleUnits: 0, netProfit: 5242, margin: 5242 / 12002,
    });
  });

  it("gives what a creator's sales earned after their commission, their videos' ad spend and their samples", async () => {
    const query = `query ($id: ID!, $shopId: ID, $currency: Currency) { creator(id: $id) {
      profit(range: { from: "2026-03-02", to: "2026-03-15" }, shopId: $shopId, currency: $currency) { ${PROFIT} } } }`;
    const alice = await t.ok<{ creator: { profit: Profit } }, unknown>(query as never, { id: gid('Creator', f.alice), currency: 'USD' }, agency.token);
    expect(flat(alice.creator.profit)).toEqual({
      gmv: 8000, refunds: 0, netRevenue: 8000, cogs: 2000, cogsMissingUnits: 1, platformFees: 640, affiliateCommissions: 1200, adSpend: 0,
      sampleCost: 0, sampleUnits: 0, netProfit: 4160, margin: 0.52,
    });
    // Bob lost the brand money in USD: a full refund still shipped a unit, and his samples cost 20.00.
    // 4002 − 1000 − 320 − 600 − 1000 − 2000 = −918
    const bob = await t.ok<{ creator: { profit: Profit } }, unknown>(query as never, { id: gid('Creator', f.bob), shopId: gid('Shop', f.shopA) }, agency.token);
    expect(flat(bob.creator.profit)).toEqual({
      gmv: 6502, refunds: 2500, netRevenue: 4002, cogs: 1000, cogsMissingUnits: 1, platformFees: 320, affiliateCommissions: 600, adSpend: 1000,
      sampleCost: 2000, sampleUnits: 2, netProfit: -918, margin: -918 / 4002,
    });
    expect(bob.creator.profit.netProfit).toEqual({ amountMinor: -918, amount: '-9.18', currency: 'USD' });
    const bobEur = await t.ok<{ creator: { profit: Profit } }, unknown>(query as never, { id: gid('Creator', f.bob), currency: 'EUR' }, agency.token);
    expect(bobEur.creator.profit.netProfit).toEqual({ amountMinor: 520, amount: '5.20', currency: 'EUR' });

    const mixed = await t.gql(query, { id: gid('Creator', f.bob) }, agency.token);
    expect(codes(mixed)).toEqual(['BAD_USER_INPUT']);
    expect(mixed.errors![0].extensions!.fields).toHaveProperty('currency');
  });
});

describe('access', () => {
  it('shows another agency null for every subject', async () => {
    const other = await t.createAgency('Prying Profit Agency');
    const result = await t.gql(
      `query ($shop: ID!, $campaign: ID!, $creator: ID!) {
        shop(id: $shop) { profit(range: { from: "2026-03-02", to: "2026-03-15" }) { margin }
          productProfit(range: { from: "2026-03-02", to: "2026-03-15" }) { totalCount } }
        campaign(id: $campaign) { profit { margin } }
        creator(id: $creator) { profit(range: { from: "2026-03-02", to: "2026-03-15" }, currency: "USD") { margin } } }`,
      { shop: gid('Shop', f.shopA), campaign: gid('Campaign', f.c1), creator: gid('Creator', f.alice) },
      other.token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ shop: null, campaign: null, creator: null });
  });

  it("lets a CLIENT_VIEWER see their own shop's profit only", async () => {
    const viewer = await signedInMember(t, agency.token, 'CLIENT_VIEWER', f.clientA.id);
    const result = await t.gql<{ a: { profit: Profit } | null; b: unknown }, unknown>(
      `query ($a: ID!, $b: ID!) { a: shop(id: $a) { profit(range: { from: "2026-03-02", to: "2026-03-15" }) { ${PROFIT} } }
        b: shop(id: $b) { profit(range: { from: "2026-03-02", to: "2026-03-15" }) { margin } } }`,
      { a: gid('Shop', f.shopA), b: gid('Shop', f.shopB) },
      viewer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.a!.profit.netProfit.amountMinor).toBe(4602);
    expect(result.data!.b).toBeNull();
  });
});

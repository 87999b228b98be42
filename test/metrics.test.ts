import { gid, LedgerFixture, signedInMember } from './support/ledger';
import { buildSalesFixture, SalesFixture } from './support/sales-fixture';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * Metric series on Shop, Product, Campaign and Creator, against the hand-computed ledger of
 * test/support/sales-fixture.ts (its table gives every line's figures).
 */

let t: TestServer;
let agency: TestAgency;
let f: SalesFixture;

beforeAll(async () => {
  t = await startTestServer();
  agency = await t.createAgency('Metrics Agency');
  f = await buildSalesFixture(t, agency);
});
afterAll(() => t.stop());

const POINT = `periodStart gmv { amountMinor amount currency } orders units refunds { amountMinor } views clicks adSpend { amountMinor }
  commissions { amountMinor } aov { amountMinor amount } ctr cvr roas`;
const SERIES = `granularity points { ${POINT} } totals { ${POINT} } previousTotals { ${POINT} }`;

interface Money {
  amountMinor: number;
  amount?: string;
  currency?: string;
}
interface Point {
  periodStart: string;
  gmv: Money;
  orders: number;
  units: number;
  refunds: Money;
  views: number;
  clicks: number;
  adSpend: Money;
  commissions: Money;
  aov: Money | null;
  ctr: number | null;
  cvr: number | null;
  roas: number | null;
}
interface Series {
  granularity: string;
  points: Point[];
  totals: Point;
  previousTotals: Point | null;
}

/** The figures of a point as plain numbers, for compact expectations. */
function figures(p: Point) {
  return {
    periodStart: p.periodStart,
    gmv: p.gmv.amountMinor,
    orders: p.orders,
    units: p.units,
    refunds: p.refunds.amountMinor,
    views: p.views,
    clicks: p.clicks,
    adSpend: p.adSpend.amountMinor,
    commissions: p.commissions.amountMinor,
    aov: p.aov?.amountMinor ?? null,
    ctr: p.ctr,
    cvr: p.cvr,
    roas: p.roas,
  };
}

const ZERO = { gmv: 0, orders: 0, units: 0, refunds: 0, views: 0, clicks: 0, adSpend: 0, commissions: 0, aov: null, ctr: null, cvr: null, roas: null };

async function shopSeries(shopId: string, range: { from: string; to: string }, granularity = 'DAY', token = agency.token): Promise<Series> {
  const data = await t.ok<{ shop: { metrics: Series } }, unknown>(
    `query ($id: ID!, $range: DateRangeInput!, $g: Granularity) { shop(id: $id) { metrics(range: $range, granularity: $g) { ${SERIES} } } }` as never,
    { id: shopId, range, g: granularity },
    token,
  );
  return data.shop.metrics;
}

describe('Shop.metrics', () => {
  it('has every day of the range, zeros where nothing sold, with totals and the previous period', async () => {
    const series = await shopSeries(gid('Shop', f.shopA), { from: '2026-03-02', to: '2026-03-15' });
    expect(series.granularity).toBe('DAY');
    expect(series.points).toHaveLength(14);
    const byDay = new Map(series.points.map((p) => [p.periodStart, figures(p)]));
    // Two lines of one order: one order, their GMV and units added.
    expect(byDay.get('2026-03-02')).toEqual({
      periodStart: '2026-03-02', gmv: 8000, orders: 1, units: 3, refunds: 0, views: 1000, clicks: 50, adSpend: 0, commissions: 1200,
      aov: 8000, ctr: 0.05, cvr: 0.02, roas: null,
    });
    // Refunded after delivery: the GMV stays, the refund counts on the order day.
    expect(byDay.get('2026-03-03')).toEqual({
      periodStart: '2026-03-03', gmv: 2500, orders: 1, units: 1, refunds: 2500, views: 500, clicks: 10, adSpend: 2000, commissions: 0,
      aov: 2500, ctr: 0.02, cvr: 0.1, roas: 1.25,
    });
    // A partial refund on a shipped line, unattributed: no commission.
    expect(byDay.get('2026-03-07')).toMatchObject({ gmv: 7500, orders: 1, units: 3, refunds: 1000, commissions: 0, aov: 7500, ctr: null });
    // The cancelled line of that day counts for nothing.
    expect(byDay.get('2026-03-08')).toMatchObject({ gmv: 1500, orders: 1, units: 1, refunds: 0 });
    // A day with only a free sample: no GMV, no order.
    expect(byDay.get('2026-03-09')).toEqual({ periodStart: '2026-03-09', ...ZERO });
    expect(byDay.get('2026-03-04')).toEqual({ periodStart: '2026-03-04', ...ZERO });
    expect(byDay.get('2026-03-15')).toMatchObject({ gmv: 4002, orders: 1, views: 200, clicks: 4, adSpend: 1000, commissions: 600, roas: 4.002, cvr: 0.25 });

    // AOV = 23502 / 5 = 4700.4 -> 4700.
    expect(figures(series.totals)).toEqual({
      periodStart: '2026-03-02', gmv: 23502, orders: 5, units: 9, refunds: 3500, views: 1700, clicks: 64, adSpend: 3000, commissions: 1800,
      aov: 4700, ctr: 64 / 1700, cvr: 5 / 64, roas: 23502 / 3000,
    });
    expect(series.totals.gmv).toEqual({ amountMinor: 23502, amount: '235.02', currency: 'USD' });
    // 14 days before 03-02: 02-16 .. 03-01.
    expect(figures(series.previousTotals!)).toEqual({
      ...ZERO, periodStart: '2026-02-16', gmv: 1000, orders: 1, units: 1, commissions: 100, aov: 1000,
    });
  });

  it('keeps one bucket per calendar day across a change of clocks in the shop time zone', async () => {
    // America/New_York springs forward on 2026-03-08 (23 hours). L4 was placed at 23:30 EST on
    // 03-07 (04:30Z on 03-08), L8 at 23:45 EDT on 03-08 (03:45Z on 03-09).
    const series = await shopSeries(gid('Shop', f.shopA), { from: '2026-03-07', to: '2026-03-09' });
    expect(series.points.map((p) => [p.periodStart, p.gmv.amountMinor])).toEqual([
      ['2026-03-07', 7500],
      ['2026-03-08', 1500],
      ['2026-03-09', 0],
    ]);
  });

  it('buckets by ISO week: a week cut by the range counts only its days inside, and starts on its Monday', async () => {
    // 2026-03-04 is a Wednesday: the first week starts on Monday 03-02 but holds 03-04 .. 03-08 only.
    const series = await shopSeries(gid('Shop', f.shopA), { from: '2026-03-04', to: '2026-03-15' }, 'WEEK');
    expect(series.points.map((p) => [p.periodStart, p.gmv.amountMinor, p.orders, p.units, p.refunds.amountMinor])).toEqual([
      ['2026-03-02', 9000, 2, 4, 1000],
      ['2026-03-09', 4002, 1, 1, 0],
    ]);
    expect(series.totals).toMatchObject({ periodStart: '2026-03-04', gmv: { amountMinor: 13002 }, orders: 3 });
    // The 12 days before: 02-20 .. 03-03.
    expect(series.previousTotals).toMatchObject({ periodStart: '2026-02-20', gmv: { amountMinor: 11500 }, orders: 3, refunds: { amountMinor: 2500 } });
  });

  it('buckets by calendar month and quarter, with empty buckets present', async () => {
    const months = await shopSeries(gid('Shop', f.shopA), { from: '2026-02-15', to: '2026-03-10' }, 'MONTH');
    expect(months.points.map((p) => [p.periodStart, p.gmv.amountMinor, p.orders])).toEqual([
      ['2026-02-01', 1000, 1],
      ['2026-03-01', 19500, 4],
    ]);
    const quarters = await shopSeries(gid('Shop', f.shopA), { from: '2026-02-01', to: '2026-04-30' }, 'QUARTER');
    expect(quarters.points.map((p) => [p.periodStart, p.gmv.amountMinor, p.orders])).toEqual([
      ['2026-01-01', 24502, 6],
      ['2026-04-01', 0, 0],
    ]);
    expect(quarters.granularity).toBe('QUARTER');
  });

  it('rounds AOV half to even, in the shop currency', async () => {
    // Shop B on 03-02: 10.00 + 10.01 over two orders = 10.005 -> 10.00 (half to even; half-up would say 10.01).
    const series = await shopSeries(gid('Shop', f.shopB), { from: '2026-03-02', to: '2026-03-02' });
    expect(series.totals.aov).toEqual({ amountMinor: 1000, amount: '10.00' });
    expect(series.totals.gmv).toEqual({ amountMinor: 2001, amount: '20.01', currency: 'EUR' });
  });

  it('answers an empty range with zero buckets and null ratios', async () => {
    const series = await shopSeries(gid('Shop', f.shopB), { from: '2026-01-01', to: '2026-01-03' });
    expect(series.points.map(figures)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03'].map((periodStart) => ({ periodStart, ...ZERO })));
    expect(figures(series.totals)).toEqual({ periodStart: '2026-01-01', ...ZERO });
    expect(figures(series.previousTotals!)).toEqual({ periodStart: '2025-12-29', ...ZERO });
  });

  it('answers ranges at both ends of the calendar', async () => {
    for (const granularity of ['DAY', 'WEEK', 'MONTH', 'QUARTER']) {
      const last = await shopSeries(gid('Shop', f.shopA), { from: '9999-12-01', to: '9999-12-31' }, granularity);
      expect(last.points.length).toBe({ DAY: 31, WEEK: 5, MONTH: 1, QUARTER: 1 }[granularity]);
    }
    const first = await shopSeries(gid('Shop', f.shopA), { from: '1970-01-01', to: '1970-01-10' });
    expect(first.points).toHaveLength(10);
    expect(first.previousTotals!.periodStart).toBe('1969-12-22');
  });

  it('refuses a reversed or too long range with the field path', async () => {
    const query = `query ($id: ID!, $range: DateRangeInput!) { shop(id: $id) { metrics(range: $range) { totals { orders } } } }`;
    const reversed = await t.gql(query, { id: gid('Shop', f.shopA), range: { from: '2026-03-02', to: '2026-03-01' } }, agency.token);
    expect(codes(reversed)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(reversed.errors![0].extensions!.fields!)).toEqual(['range.to']);
    const long = await t.gql(query, { id: gid('Shop', f.shopA), range: { from: '2020-01-01', to: '2026-01-01' } }, agency.token);
    expect(codes(long)).toEqual(['BAD_USER_INPUT']);
    expect(long.errors![0].extensions!.fields!['range.to'][0]).toMatch(/at most 1096 days/);
    const notADay = await t.gql(query, { id: gid('Shop', f.shopA), range: { from: '2026-02-30', to: '2026-03-01' } }, agency.token);
    expect(codes(notADay)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Product.metrics and Campaign.metrics', () => {
  it("gives a product's sales by week", async () => {
    const data = await t.ok<{ node: { metrics: Series } }, unknown>(
      `query ($id: ID!) { node(id: $id) { ... on Product { metrics(range: { from: "2026-03-02", to: "2026-03-15" }, granularity: WEEK) { ${SERIES} } } } }` as never,
      { id: gid('Product', f.p2) },
      agency.token,
    );
    expect(data.node.metrics.points.map((p) => [p.periodStart, p.gmv.amountMinor, p.units, p.commissions.amountMinor])).toEqual([
      ['2026-03-02', 3000, 1, 450],
      ['2026-03-09', 4002, 1, 600],
    ]);
  });

  it("covers the campaign's dates without a range, with its attributed sales and its stats", async () => {
    const data = await t.ok<{ campaign: { metrics: Series } }, unknown>(
      `query ($id: ID!) { campaign(id: $id) { metrics { ${SERIES} } } }` as never,
      { id: gid('Campaign', f.c1) },
      agency.token,
    );
    const { points, totals, previousTotals } = data.campaign.metrics;
    expect(points).toHaveLength(31);
    expect(points[0].periodStart).toBe('2026-03-01');
    expect(points[30].periodStart).toBe('2026-03-31');
    // L1 + L2 (one order), L7; L5 was cancelled. Views: video v1 (in C1) and the campaign's own row.
    expect(figures(totals)).toEqual({
      periodStart: '2026-03-01', gmv: 12002, orders: 2, units: 4, refunds: 0, views: 1500, clicks: 60, adSpend: 2000, commissions: 1800,
      aov: 6001, ctr: 0.04, cvr: 2 / 60, roas: 12002 / 2000,
    });
    expect(figures(previousTotals!)).toEqual({ periodStart: '2026-01-29', ...ZERO });
  });

  it('defaults an open campaign to its start until today in the shop time zone', async () => {
    const data = await t.ok<{ campaign: { metrics: Series } }, unknown>(
      `query ($id: ID!) { campaign(id: $id) { metrics(granularity: MONTH) { points { periodStart } totals { periodStart gmv { amountMinor } } } } }` as never,
      { id: gid('Campaign', f.c2) },
      agency.token,
    );
    expect(data.campaign.metrics.points[0].periodStart).toBe('2026-03-01');
    expect(data.campaign.metrics.totals.gmv.amountMinor).toBe(0); // B1 was not attributed to C2
  });
});

describe('Creator.metrics', () => {
  const query = `query ($id: ID!, $shopId: ID, $currency: Currency) { creator(id: $id) {
    metrics(range: { from: "2026-03-02", to: "2026-03-15" }, shopId: $shopId, currency: $currency) { ${SERIES} } } }`;

  it('refuses to add money across currencies without shopId or currency', async () => {
    const result = await t.gql(query, { id: gid('Creator', f.bob) }, agency.token);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.fields!.currency[0]).toMatch(/several \(EUR, USD\)/);
  });

  it("gives a creator's attributed sales and their videos' stats in one currency", async () => {
    const alice = await t.ok<{ creator: { metrics: Series } }, unknown>(query as never, { id: gid('Creator', f.alice), currency: 'USD' }, agency.token);
    expect(figures(alice.creator.metrics.totals)).toEqual({
      periodStart: '2026-03-02', gmv: 8000, orders: 1, units: 3, refunds: 0, views: 1000, clicks: 50, adSpend: 0, commissions: 1200,
      aov: 8000, ctr: 0.05, cvr: 0.02, roas: null,
    });
    expect(alice.creator.metrics.previousTotals).toMatchObject({ gmv: { amountMinor: 1000 }, commissions: { amountMinor: 100 } });

    // Bob in USD: L3 (refunded), L7; his sample is no sale; his video's ad spend is his, the campaign's is not.
    const bobUsd = await t.ok<{ creator: { metrics: Series } }, unknown>(query as never, { id: gid('Creator', f.bob), currency: 'USD' }, agency.token);
    expect(figures(bobUsd.creator.metrics.totals)).toMatchObject({ gmv: 6502, orders: 2, units: 2, refunds: 2500, views: 200, clicks: 4, adSpend: 1000, commissions: 600 });

    const bobB = await t.ok<{ creator: { metrics: Series } }, unknown>(query as never, { id: gid('Creator', f.bob), shopId: gid('Shop', f.shopB) }, agency.token);
    expect(bobB.creator.metrics.totals).toMatchObject({ gmv: { amountMinor: 1000, currency: 'EUR' }, orders: 1, commissions: { amountMinor: 100 } });
    const bobEur = await t.ok<{ creator: { metrics: Series } }, unknown>(query as never, { id: gid('Creator', f.bob), currency: 'EUR' }, agency.token);
    expect(bobEur.creator.metrics.totals).toEqual(bobB.creator.metrics.totals);
  });

  it("refuses a currency other than the shop's, and a shop it cannot see", async () => {
    const mismatch = await t.gql(query, { id: gid('Creator', f.bob), shopId: gid('Shop', f.shopB), currency: 'USD' }, agency.token);
    expect(codes(mismatch)).toEqual(['BAD_USER_INPUT']);
    expect(mismatch.errors![0].extensions!.fields).toHaveProperty('currency');

    const other = await t.createAgency('Other Metrics Agency');
    const otherLedger = new LedgerFixture(t, other.agencyId);
    const theirCreator = await otherLedger.creator('carol');
    const probe = await t.gql(query, { id: gid('Creator', theirCreator), shopId: gid('Shop', f.shopA) }, other.token);
    expect(codes(probe)).toEqual(['NOT_FOUND']);
    expect(probe.errors![0].extensions!.fields).toHaveProperty('shopId');
  });
});

describe('access', () => {
  it("shows another agency nothing: the shop, product, campaign and creator are null", async () => {
    const other = await t.createAgency('Prying Agency');
    const result = await t.gql(
      `query ($shop: ID!, $product: ID!, $campaign: ID!, $creator: ID!) {
        shop(id: $shop) { metrics(range: { from: "2026-03-02", to: "2026-03-15" }) { totals { orders } } }
        product: node(id: $product) { ... on Product { metrics(range: { from: "2026-03-02", to: "2026-03-15" }) { totals { orders } } } }
        campaign(id: $campaign) { metrics { totals { orders } } }
        creator(id: $creator) { metrics(range: { from: "2026-03-02", to: "2026-03-15" }, currency: "USD") { totals { orders } } } }`,
      { shop: gid('Shop', f.shopA), product: gid('Product', f.p1), campaign: gid('Campaign', f.c1), creator: gid('Creator', f.alice) },
      other.token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ shop: null, product: null, campaign: null, creator: null });
  });

  it("confines a CLIENT_VIEWER to their client's shops, also for a creator's figures", async () => {
    const viewer = await signedInMember(t, agency.token, 'CLIENT_VIEWER', f.clientB.id);
    const hidden = await t.gql(`query ($id: ID!) { shop(id: $id) { metrics(range: { from: "2026-03-02", to: "2026-03-15" }) { totals { orders } } } }`, { id: gid('Shop', f.shopA) }, viewer);
    expect(hidden.data).toEqual({ shop: null });
    // Bob sold in both shops; the viewer's shops share one currency (EUR), so no argument is needed.
    const bob = await t.ok<{ creator: { metrics: Series } }, unknown>(
      `query ($id: ID!) { creator(id: $id) { metrics(range: { from: "2026-03-02", to: "2026-03-15" }) { totals { gmv { amountMinor currency } orders } } } }` as never,
      { id: gid('Creator', f.bob) },
      viewer,
    );
    expect(bob.creator.metrics.totals).toEqual({ gmv: { amountMinor: 1000, currency: 'EUR' }, orders: 1 });
    // USD figures come from shop A, which is not theirs: nothing.
    const usd = await t.ok<{ creator: { metrics: Series } }, unknown>(
      `query ($id: ID!) { creator(id: $id) { metrics(range: { from: "2026-03-02", to: "2026-03-15" }, currency: "USD") { totals { orders gmv { amountMinor } } } } }` as never,
      { id: gid('Creator', f.bob) },
      viewer,
    );
    expect(usd.creator.metrics.totals).toEqual({ orders: 0, gmv: { amountMinor: 0 } });
    // Alice works only in client A's campaign: invisible.
    const alice = await t.gql(`query ($id: ID!) { creator(id: $id) { handle } }`, { id: gid('Creator', f.alice) }, viewer);
    expect(alice.data).toEqual({ creator: null });
  });
});

describe('loading', () => {
  async function agencyWithShops(n: number): Promise<TestAgency> {
    const a = await t.createAgency(`Count Agency ${n}`);
    const ledger = new LedgerFixture(t, a.agencyId);
    const client = await ledger.client('Client');
    for (let i = 0; i < n; i++) {
      const shop = await ledger.shop(client, 'USD', 'America/Los_Angeles');
      const product = await ledger.product(shop, `SKU-${i}`, 1000, 400);
      const creator = await ledger.creator(`count_${n}_${i}`);
      const campaign = await ledger.campaign(shop, `C${i}`, 1000, '2026-03-01', '2026-03-31');
      await ledger.lines(shop, [
        { externalId: `${9000 + i}000000000000000`, orderId: `${i}`, product, creator, campaign, status: 'DELIVERED', quantity: 1, gmvMinor: 1000 + i, placedAt: '2026-03-05T20:00:00Z' },
      ]);
    }
    return a;
  }

  const DEEP = `{ shops(first: 10) { edges { node {
      metrics(range: { from: "2026-03-01", to: "2026-03-31" }) { points { gmv { amountMinor } } totals { orders } previousTotals { orders } }
      week: metrics(range: { from: "2026-03-01", to: "2026-03-31" }, granularity: WEEK) { totals { gmv { amountMinor } } }
      profit(range: { from: "2026-03-01", to: "2026-03-31" }) { netProfit { amountMinor } }
      products(first: 5) { edges { node { metrics(range: { from: "2026-03-01", to: "2026-03-31" }) { totals { units } } } } }
      campaigns(first: 5) { edges { node { metrics { totals { gmv { amountMinor } } } } } }
  } } } }`;

  it('runs the same number of SQL statements for 2 and for 6 shops, and never reads order lines', async () => {
    const counts: number[] = [];
    for (const n of [2, 6]) {
      const a = await agencyWithShops(n);
      t.sql.reset();
      const result = await t.gql<{ shops: { edges: Array<{ node: { metrics: { totals: { orders: number } } } }> } }, unknown>(DEEP, {}, a.token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.shops.edges).toHaveLength(n);
      expect(result.data!.shops.edges.every((e) => e.node.metrics.totals.orders === 1)).toBe(true);
      expect(t.sql.statements.some((s) => /order_lines/.test(s))).toBe(false);
      counts.push(t.sql.count);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('reads a 90-day DAY series of one shop in one statement on the rollups', async () => {
    t.sql.reset();
    const series = await shopSeries(gid('Shop', f.shopA), { from: '2026-01-01', to: '2026-03-31' });
    expect(series.points).toHaveLength(90);
    const rollupReads = t.sql.statements.filter((s) => /metric_rollups/.test(s));
    expect(rollupReads).toHaveLength(1);
  });
});
